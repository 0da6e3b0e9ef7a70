import { CatalogAdvertiser, CatalogSnapshot } from '@tracklane/catalog';
import { newId } from '@tracklane/contracts';
import { Accepted } from '../intake/postback-intake';
import { PostbackReading } from '../intake/interpret-postback';
import { PartnerMapping } from '../params/partner-mapping';
import { RequestParam } from '../params/read-postback';
import { PostbackRefusal, PostbackUnavailable } from '../refusals';
import { maskedParams, storableText, unreadParams } from './masked-params';

/** What became of a postback: accepted anew, answered as a copy of an earlier one, or not. */
export type InboundOutcome = 'accepted' | 'duplicate' | 'replay' | 'refused' | 'unavailable' | 'failed';

/**
 * One received postback as the endpoint saw it, kept by reference: turning
 * it into a row (masking, JSON) happens later, off the answer path.
 */
export interface InboundPostback extends PostbackReading {
  receivedAt: Date;
  endpoint: 'postback' | 'pixel';
  method: string;
  contentType: string | undefined;
  /** About how many bytes the request holds (URL and body), for the log's memory bound. */
  size: number;
  query: unknown;
  body: unknown;
  snapshot: CatalogSnapshot;
  params?: readonly RequestParam[];
  advertiser?: CatalogAdvertiser;
  mapping?: PartnerMapping;
  httpStatus: number;
  accepted?: Accepted;
  refusal?: PostbackRefusal | PostbackUnavailable;
}

/** A row of inbound_postbacks (migration 0731). */
export interface InboundPostbackRow {
  id: string;
  received_at: string;
  advertiser_id: number | null;
  endpoint: string;
  method: string;
  content_type: string | null;
  params: Record<string, string>;
  mapping: unknown;
  fields: unknown;
  conversion_key: string | null;
  outcome: InboundOutcome;
  http_status: number;
  kind: string | null;
  conversion_id: string | null;
  event_id: string | null;
  click_id: string | null;
  order_id: string | null;
  error: string | null;
  reason: string | null;
  problems: unknown;
}

export function outcomeOf(entry: InboundPostback): InboundOutcome {
  if (entry.accepted) {
    if (!entry.accepted.replayed) return 'accepted';
    const postback = entry.postback;
    // A copy without order id, conversion key or Idempotency-Key was recognised by its content.
    return postback && postback.orderId === null && postback.conversionKey === null && postback.idempotencyKey === null ? 'replay' : 'duplicate';
  }
  if (entry.refusal instanceof PostbackRefusal) return 'refused';
  if (entry.refusal instanceof PostbackUnavailable) return 'unavailable';
  return 'failed';
}

const text = (value: string | null | undefined): string | null => (value === null || value === undefined ? null : storableText(value));

export function inboundRow(entry: InboundPostback): InboundPostbackRow {
  const { snapshot, mapping, read, postback, accepted, refusal } = entry;
  const isSecret = (name: string, value: string) => mapping?.isToken(name) === true || (value !== '' && snapshot.advertiserByToken(value) !== undefined);
  const fields = read
    ? Object.fromEntries(Object.entries(read.fields).map(([field, value]) => [field, { ...value, value: storableText(value.value) }]))
    : null;
  return {
    id: newId(entry.receivedAt.getTime()),
    received_at: entry.receivedAt.toISOString(),
    advertiser_id: entry.advertiser?.id ?? null,
    endpoint: entry.endpoint,
    method: entry.method,
    content_type: text(entry.contentType),
    params: maskedParams(entry.params ?? unreadParams(entry.query, entry.body), isSecret),
    mapping: entry.advertiser ? entry.advertiser.paramMapping ?? {} : null,
    fields,
    conversion_key: text(postback?.conversionKey),
    outcome: outcomeOf(entry),
    http_status: entry.httpStatus,
    kind: accepted?.answer.kind ?? null,
    conversion_id: accepted?.answer.conversionId ?? null,
    event_id: accepted?.answer.eventId ?? null,
    click_id: text(postback?.clickId ?? read?.fields.click_id?.value),
    order_id: text(postback?.orderId ?? read?.fields.order_id?.value),
    error: refusal instanceof PostbackRefusal ? refusal.error : refusal ? 'unavailable' : accepted ? null : 'internal',
    reason: refusal ? text(refusal.reason) : accepted ? null : 'internal error',
    problems:
      refusal instanceof PostbackRefusal && refusal.problems.length > 0
        ? refusal.problems.map((problem) => ({ ...problem, field: storableText(problem.field), reason: storableText(problem.reason) }))
        : null,
  };
}
