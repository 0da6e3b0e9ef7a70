import { defineContract } from '../event-contract';
import { ID_PATTERN } from '../ids';
import { arrayOf, boolean, integer, isoInstant, literal, nullable, object, oneOf, string, stringMap } from '../validation';

/**
 * clicks.v1 — one message per tracking-link hit, keyed by click id.
 *
 * Partitioning is free (ordering "none"): a click has no later events of its
 * own, so click-ingest puts each produce request's clicks into one partition
 * (rotating), which makes batches larger and cheaper. Its consumers do not
 * depend on where a click lands: attribution's clicks group stores clicks in
 * Postgres and Redis, where conversions (a separate group, partitioned by
 * click id on conversions.v1) look them up, and a conversion that arrives
 * first waits on the retry topic; reporting's projector stores each click
 * once by id and takes every click field an attribution needs from the
 * attribution event itself.
 *
 * Flags: bot (user agent of a crawler, preview fetcher or script),
 * rate_limited (the IP clicked more than the per-IP limit allows),
 * unverified (uniqueness and rate could not be checked; `unique` is then
 * reported as true and rate_limited is never set).
 */
export const CLICK_FLAGS = ['bot', 'rate_limited', 'unverified'] as const;
export type ClickFlag = (typeof CLICK_FLAGS)[number];

/** Why the browser went where it went. Anything but "accepted" went to a fallback URL. */
export const CLICK_DISPOSITIONS = [
  'accepted',
  'offer_paused',
  'offer_expired',
  'affiliate_not_approved',
  'affiliate_inactive',
  'targeting_mismatch',
] as const;
export type ClickDisposition = (typeof CLICK_DISPOSITIONS)[number];

export type ClickKey = string;

export interface ClickV1 {
  v: 1;
  clickId: string;
  /** When the click was received (equals the time encoded in clickId). */
  occurredAt: string;
  offerId: number;
  advertiserId: number;
  affiliateId: number;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  source: string | null;
  affClickId: string | null;
  ip: string;
  userAgent: string;
  referrer: string | null;
  /** ISO 3166-1 alpha-2, when known. */
  country: string | null;
  device: string | null;
  unique: boolean;
  flags: ClickFlag[];
  disposition: ClickDisposition;
  /** Extra query parameters from the tracking link, kept as given. */
  params: Record<string, string>;
}

const sub = nullable(string({ max: 512 }));

export const clicksV1 = defineContract<ClickV1>({
  topic: 'clicks.v1',
  version: 1,
  ordering: 'none',
  keyOf: (click) => click.clickId,
  validate: object({
    v: literal(1),
    clickId: string({ pattern: ID_PATTERN }),
    occurredAt: isoInstant(),
    offerId: integer({ min: 1 }),
    advertiserId: integer({ min: 1 }),
    affiliateId: integer({ min: 1 }),
    sub1: sub,
    sub2: sub,
    sub3: sub,
    sub4: sub,
    sub5: sub,
    source: sub,
    affClickId: sub,
    ip: string({ max: 64 }),
    userAgent: string({ max: 1024 }),
    referrer: nullable(string({ max: 2048 })),
    country: nullable(string({ min: 2, max: 2 })),
    device: nullable(string({ max: 32 })),
    unique: boolean(),
    flags: arrayOf(oneOf(CLICK_FLAGS), { max: CLICK_FLAGS.length }),
    disposition: oneOf(CLICK_DISPOSITIONS),
    params: stringMap({ maxEntries: 64, maxValueLength: 1024 }),
  }),
});
