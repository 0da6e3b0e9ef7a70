import { Injectable } from '@nestjs/common';
import { PrismaService } from '@tracklane/db';
import {
  compilePartnerMapping,
  Decision,
  FieldValue,
  interpretPostback,
  maskedParams,
  paramValue,
  PostbackReading,
  PostbackReceipts,
  PostbackRefusal,
  previewDecision,
  RequestParam,
  requestParams,
} from '@tracklane/postback-intake';
import { Actor, advertiserOf, invalid, isAdmin, notFound } from '../access';

export interface PostbackDryRunInput {
  /** The postback URL as the advertiser's server would call it (its query string is what counts), or just the query string. */
  url?: string;
  /** A POST body, as sent. */
  body?: string;
  contentType?: string;
  /** Headers the partner sends that postback-ingest reads: X-Tracklane-Token, Idempotency-Key. */
  headers?: Record<string, string>;
}

export interface DryRunRefusal {
  status: number;
  error: string;
  reason: string;
  problems: PostbackRefusal['problems'];
}

/** How postback-ingest would read and decide a postback, without booking or publishing anything. */
export interface PostbackDryRunView {
  advertiserId: number;
  /** The advertiser's partner mapping (preset and overrides) and entries it cannot use. */
  mapping: { preset: string | null; document: unknown; problems: readonly string[] };
  /** The parameters as postback-ingest reads them (query, form or JSON paths), secrets masked. */
  params: Record<string, string>;
  /** The token is checked; the IP allowlist and signatures depend on the real request and are not. */
  authentication: { token: 'matches' | 'missing' | 'does_not_match'; notChecked: string[] };
  /** Each postback field read: its value, the parameter it came from, what was sent when translated or scaled. */
  fields: Partial<Record<string, FieldValue>> | null;
  /** What identifies the conversion without an order id, as the mapping says (click_id:… or param:…=…). */
  conversionKey: string | null;
  /** The conversion event's fields, when the postback is valid. */
  postback: {
    /** null when a promo code stands in for the click. */
    clickId: string | null;
    couponCode: string | null;
    goal: string | null;
    amount: string | null;
    currency: string | null;
    orderId: string | null;
    status: string | null;
    advSubs: (string | null)[];
    raw: Record<string, string>;
  } | null;
  decision: {
    /** accepted: a new conversion or status change would be booked; duplicate/replay: the earlier answer again, nothing new; refused: a 4xx. */
    outcome: Decision['outcome'];
    httpStatus: number;
    kind?: 'conversion' | 'status_change';
    /** The conversion concerned, when one is known already (a status change, a duplicate, a replay). */
    conversionId?: string | null;
    refusal?: DryRunRefusal;
  };
}

const NOT_CHECKED = ['ip_allowlist', 'signature'];

/**
 * The management API's postback dry run: reads a postback URL and/or body
 * with postback-ingest's own code (request parameters, the advertiser's
 * partner mapping, validation, amount bound) and asks the intake's
 * read-only decision whether it would be a new conversion, a status change,
 * a duplicate or a replay. Nothing is stored or published.
 */
@Injectable()
export class PostbackDryRunService {
  private readonly receipts: PostbackReceipts;

  constructor(private readonly prisma: PrismaService) {
    this.receipts = new PostbackReceipts(prisma.pool, { leaseMs: 60_000, maxConcurrentBatches: 1 });
  }

  async run(actor: Actor, advertiserId: number, input: PostbackDryRunInput): Promise<PostbackDryRunView> {
    if (!isAdmin(actor) && advertiserOf(actor) !== advertiserId) throw notFound('advertiser', advertiserId);
    const advertiser = await this.prisma.advertiser.findUnique({ where: { id: advertiserId } });
    if (!advertiser) throw notFound('advertiser', advertiserId);
    const { query, body, jsonBody } = requestOf(input);
    const headers = lowerCaseKeys(input.headers ?? {});
    const mapping = compilePartnerMapping(advertiser.paramMapping);
    const reading: PostbackReading = {};
    let params: readonly RequestParam[] = [];
    let refusal: PostbackRefusal | undefined;
    let token: PostbackDryRunView['authentication']['token'] = 'missing';
    let decision: Decision | undefined;
    try {
      params = requestParams(query, body, { jsonBody: jsonBody !== undefined });
      const given =
        headers['x-tracklane-token'] ??
        paramValue(params, 'token') ??
        paramValue(params, 'security_token') ??
        params.find(([name]) => mapping.isToken(name))?.[1];
      token = given === undefined ? 'missing' : given === advertiser.postbackToken ? 'matches' : 'does_not_match';
      // The endpoint authenticates first; the fields are still read here, to show them.
      if (token !== 'matches') refusal = PostbackRefusal.unauthorized(token === 'missing' ? 'missing_token' : 'unknown_token');
      // postback-ingest no longer knows an archived advertiser's token.
      else if (advertiser.status === 'archived') refusal = PostbackRefusal.unauthorized('unknown_token');
      const { limit, replayWindowSeconds } = await this.limits(advertiserId);
      const postback = interpretPostback({ params, jsonBody, idempotencyKey: headers['idempotency-key'] }, mapping, limit, reading);
      if (!refusal) decision = await previewDecision(this.receipts, advertiserId, postback, { replayWindowSeconds });
    } catch (error) {
      if (!(error instanceof PostbackRefusal)) throw error;
      refusal ??= error;
    }
    if (refusal) decision = { outcome: 'refused', refusal };
    const { postback, read } = reading;
    return {
      advertiserId,
      mapping: { preset: presetOf(advertiser.paramMapping), document: advertiser.paramMapping, problems: mapping.problems },
      params: maskedParams(params, (name, value) => mapping.isToken(name) || value === advertiser.postbackToken),
      authentication: { token, notChecked: NOT_CHECKED },
      fields: read?.fields ?? null,
      conversionKey: postback?.conversionKey ?? null,
      postback: postback
        ? {
            clickId: postback.clickId,
            couponCode: postback.couponCode,
            goal: postback.goal,
            amount: postback.amount,
            currency: postback.currency,
            orderId: postback.orderId,
            status: postback.status,
            advSubs: [postback.advSub1, postback.advSub2, postback.advSub3, postback.advSub4, postback.advSub5],
            raw: { ...postback.raw },
          }
        : null,
      decision: decisionView(decision as Decision),
    };
  }

  /** The amount bound and replay window postback-ingest applies to this advertiser (its catalogue snapshot's rules). */
  private async limits(advertiserId: number): Promise<{ limit: string; replayWindowSeconds: number }> {
    // One aggregate over the advertiser's offers, as text: the bound is compared as an exact decimal, never a float.
    const rows = await this.prisma.$queryRaw<{ limit: string; replay_window_seconds: number }[]>`
      SELECT coalesce(max(coalesce(o.max_postback_amount, s.max_postback_amount)), s.max_postback_amount)::text AS limit,
             s.postback_replay_window_seconds AS replay_window_seconds
        FROM network_settings s
        LEFT JOIN offers o ON o.advertiser_id = ${advertiserId}::int AND o.status <> 'archived'
       WHERE s.id = 1
       GROUP BY s.max_postback_amount, s.postback_replay_window_seconds`;
    return { limit: rows[0].limit, replayWindowSeconds: rows[0].replay_window_seconds };
  }
}

function decisionView(decision: Decision): PostbackDryRunView['decision'] {
  switch (decision.outcome) {
    case 'accepted':
      return { outcome: 'accepted', httpStatus: 200, kind: decision.kind, conversionId: decision.conversionId };
    case 'duplicate':
    case 'replay':
      return { outcome: decision.outcome, httpStatus: 200, kind: decision.answer.kind, conversionId: decision.answer.conversionId };
    case 'refused': {
      const { status, error, reason, problems } = decision.refusal;
      return { outcome: 'refused', httpStatus: status, refusal: { status, error, reason, problems } };
    }
  }
}

/** The query and body as Fastify would hand them to the endpoint (repeated names become arrays, as there). */
function requestOf(input: PostbackDryRunInput): { query: Record<string, string | string[]>; body: unknown; jsonBody: unknown } {
  if (input.url === undefined && input.body === undefined) throw invalid('url', 'give the postback URL, a body, or both');
  const url = input.url ?? '';
  const search = url.includes('?') ? url.slice(url.indexOf('?') + 1) : url.includes('://') ? '' : url;
  const query = formOf(search.split('#')[0]);
  if (input.body === undefined || input.body === '') return { query, body: undefined, jsonBody: undefined };
  const type = (input.contentType ?? '').toLowerCase();
  if (type.includes('json')) {
    try {
      const body: unknown = JSON.parse(input.body);
      return { query, body, jsonBody: body };
    } catch {
      throw invalid('body', 'is not valid JSON (contentType says JSON)');
    }
  }
  if (type.includes('application/x-www-form-urlencoded')) return { query, body: formOf(input.body), jsonBody: undefined };
  throw invalid('contentType', 'must be application/json or application/x-www-form-urlencoded when a body is given (postback-ingest answers 415 to others)');
}

function formOf(text: string): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(text)) {
    const earlier = form[name];
    form[name] = earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value];
  }
  return form;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function presetOf(mapping: unknown): string | null {
  const preset = (mapping as { preset?: unknown } | null)?.preset;
  return typeof preset === 'string' ? preset : null;
}
