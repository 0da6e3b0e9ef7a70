import { firstNestedName } from '../http/json-paths';
import { PartnerMapping } from '../params/partner-mapping';
import { PostbackParams, readPostback, RequestParam } from '../params/read-postback';
import { PostbackRefusal } from '../refusals';
import { checkAmountBound } from '../validation/amount-bound';
import { validatePostback, ValidPostback } from '../validation/validate-postback';

export interface PostbackInput {
  params: readonly RequestParam[];
  /** The parsed body, when it was JSON (nested values are read by path only for mappings that name paths). */
  jsonBody: unknown;
  idempotencyKey: string | undefined;
}

/** What reading a postback found, step by step; filled as far as the reading got, also when it was refused. */
export interface PostbackReading {
  read?: PostbackParams;
  postback?: ValidPostback;
}

/**
 * Everything between authentication and intake, for the endpoint and the
 * management API's dry run alike (one code path, so the two cannot drift):
 * nested JSON bodies, the partner mapping and aliases, validation, and the
 * amount bound. Throws a PostbackRefusal; `reading` keeps the fields read
 * before a refusal, for the inbound log and the dry run.
 */
export function interpretPostback(input: PostbackInput, mapping: PartnerMapping, amountLimit: string, reading: PostbackReading = {}): ValidPostback {
  const nested = input.jsonBody !== undefined && !mapping.readsJsonPaths ? firstNestedName(input.jsonBody) : undefined;
  if (nested !== undefined) {
    throw PostbackRefusal.invalid([{ field: nested, rule: 'scalar', reason: `${nested} must be a string or a number` }]);
  }
  const read = readPostback(input.params, mapping);
  reading.read = read;
  const postback = validatePostback(read, input.idempotencyKey);
  reading.postback = postback;
  checkAmountBound(postback, read, amountLimit);
  return postback;
}
