import { fieldName, isStorableText, UNSTORABLE_TEXT_REASON } from '@tracklane/contracts';
import { RequestParam } from '../params/read-postback';
import { FieldProblem, PostbackRefusal } from '../refusals';
import { jsonPaths } from './json-paths';

/** Far above any real postback; bounds the work an abusive request can cause. */
export const MAX_PARAMS = 200;

function invalidBody(reason: string): PostbackRefusal {
  return new PostbackRefusal(400, 'invalid_body', reason);
}

/**
 * The parameters of a request, from the query string and a form or JSON
 * body, in the order received. Each name may occur once; values must be
 * strings, numbers or booleans (null counts as absent), except that a JSON
 * body's nested values are read by their path (see jsonPaths). Anything
 * that could not be stored as sent is refused here, before any other step.
 */
export function requestParams(query: unknown, body: unknown, options: { jsonBody?: boolean } = {}): RequestParam[] {
  const params: RequestParam[] = [];
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];

  const add = (name: string, value: unknown): void => {
    if (value === null || value === undefined) return;
    if (seen.has(name)) {
      problems.push({ field: name, rule: 'singleValue', reason: `${name} must be given once` });
      return;
    }
    seen.add(name);
    let text: string;
    if (typeof value === 'string') text = value;
    else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') text = String(value);
    else if (Array.isArray(value) && value.every((each) => typeof each === 'string')) {
      problems.push({ field: name, rule: 'singleValue', reason: `${name} must be given once` });
      return;
    } else {
      problems.push({ field: name, rule: 'scalar', reason: `${name} must be a string or a number` });
      return;
    }
    // The storable-text rule, refusing: an advertiser's server is told, and every field, raw ones included, is kept as sent.
    if (!isStorableText(name) || !isStorableText(text)) {
      const field = fieldName(name);
      problems.push({ field, rule: 'printable', reason: `${field} ${UNSTORABLE_TEXT_REASON}` });
      return;
    }
    params.push([name, text]);
  };

  const addAll = (source: object): void => {
    const names = Object.keys(source);
    if (names.length + params.length > MAX_PARAMS) {
      throw new PostbackRefusal(400, 'invalid_parameter', `a postback may have at most ${MAX_PARAMS} parameters`);
    }
    for (const name of names) add(name, (source as Record<string, unknown>)[name]);
  };

  if (query !== null && typeof query === 'object') addAll(query);
  if (body !== undefined && body !== null) {
    if (typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) {
      throw invalidBody('the body must be a JSON object or a form (application/x-www-form-urlencoded)');
    }
    if (options.jsonBody && Object.values(body).some((value) => typeof value === 'object' && value !== null)) {
      for (const [name, value] of jsonPaths(body as Record<string, unknown>)) add(name, value);
    } else {
      addAll(body);
    }
  }
  if (problems.length > 0) throw PostbackRefusal.invalid(problems);
  return params;
}

/** A parameter by name, any case. */
export function paramValue(params: readonly RequestParam[], name: string): string | undefined {
  for (const [each, value] of params) if (each.toLowerCase() === name) return value;
  return undefined;
}
