import { characterCount, firstCharacters, storableText } from '@tracklane/contracts';

/**
 * A tracking link as an affiliate writes it:
 *
 *   /c/:offerId?aff_id=7&sub1=..&sub5=..&source=..&aff_click_id=..&anything=else
 *   /click?offer_id=10&aff_id=7&...
 *
 * with the aliases networks migrating from other trackers use
 * (aff_sub..aff_sub5, affiliate_id, source_id, transaction-style names).
 * Parameters we do not know are kept on the click as they came.
 */
export interface TrackingLink {
  offerId: number;
  affiliateId: number;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  source: string | null;
  affClickId: string | null;
  params: Record<string, string>;
}

/** Input no browser sends by accident; answered with 400 naming the field and the reason. */
export class BadTrackingLink extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'BadTrackingLink';
  }
}

/** A query string parsed by the HTTP layer: repeated names arrive as arrays. */
export type RawQuery = Record<string, string | string[] | undefined>;

/** The contract's bounds (clicks.v1), in characters (code points): more than this is not a real link. */
export const LINK_LIMITS = {
  parameters: 64,
  nameLength: 64,
  /** sub1..sub5, source, aff_click_id. */
  knownValueLength: 512,
  /** Other parameters, kept on the click. */
  extraValueLength: 1024,
} as const;

type KnownField = 'offerId' | 'affiliateId' | 'sub1' | 'sub2' | 'sub3' | 'sub4' | 'sub5' | 'source' | 'affClickId';

/** Each field's accepted names, the canonical one first: it wins when a link carries several. */
const NAMES: Record<KnownField, readonly string[]> = {
  offerId: ['offer_id'],
  affiliateId: ['aff_id', 'affiliate_id'],
  sub1: ['sub1', 'aff_sub', 'aff_sub1'],
  sub2: ['sub2', 'aff_sub2'],
  sub3: ['sub3', 'aff_sub3'],
  sub4: ['sub4', 'aff_sub4'],
  sub5: ['sub5', 'aff_sub5'],
  source: ['source', 'source_id'],
  affClickId: ['aff_click_id'],
};

const FIELD_OF = new Map<string, { field: KnownField; rank: number }>();
for (const [field, names] of Object.entries(NAMES) as [KnownField, readonly string[]][]) {
  names.forEach((name, rank) => FIELD_OF.set(name, { field, rank }));
}

/** Whether a parameter is one of a tracking link's own (offer, affiliate, sub ids, source, aff_click_id) under any of its names. */
export function isLinkParameter(name: string): boolean {
  return FIELD_OF.has(name);
}

/** Every name of the affiliate's own parameters (affiliate, sub ids, source, aff_click_id): what a landing page may pass on. */
export const AFFILIATE_PARAMETERS: readonly string[] = Object.entries(NAMES).flatMap(([field, names]) => (field === 'offerId' ? [] : names));

const POSITIVE_INT = /^[1-9]\d{0,9}$/;
const MAX_ID = 2_147_483_647;

function positiveId(value: string | undefined, field: string): number {
  if (value === undefined) throw new BadTrackingLink(field, 'is required');
  const id = POSITIVE_INT.test(value) ? Number(value) : NaN;
  if (!(id <= MAX_ID)) throw new BadTrackingLink(field, 'must be a positive integer');
  return id;
}

const ID_FIELDS: ReadonlySet<KnownField> = new Set(['offerId', 'affiliateId']);

function printable(name: string): string {
  return characterCount(name) > LINK_LIMITS.nameLength ? `${firstCharacters(name, LINK_LIMITS.nameLength)}…` : name;
}

/** Only the offer of a link's parameters (the /click form's offer_id), refused as parseTrackingLink refuses it. */
export function parseOfferId(query: RawQuery): number {
  const given = query.offer_id;
  return positiveId((Array.isArray(given) ? given[0] : given) || undefined, 'offer_id');
}

/**
 * Reads a tracking link. `pathOfferId` is the :offerId of /c/:offerId;
 * without it the offer comes from offer_id (the /click form). Empty
 * parameters count as absent; of a repeated parameter the first is used.
 *
 * The ids are refused unless they are digits. Every other name and value is
 * made storable (storableText: control characters dropped, lone surrogates
 * replaced) rather than refused, so that a visitor is still sent on and the
 * click is recorded as every downstream store can hold it; a value that was
 * nothing but control characters counts as absent. Invalid percent-encoding
 * is kept as written (the HTTP layer leaves such a value undecoded).
 */
export function parseTrackingLink(query: RawQuery, pathOfferId?: string): TrackingLink {
  const known: Partial<Record<KnownField, string>> = {};
  const rank: Partial<Record<KnownField, number>> = {};
  const params: Record<string, string> = Object.create(null);
  let count = 0;

  for (const received in query) {
    if (++count > LINK_LIMITS.parameters) {
      throw new BadTrackingLink('query', `must have at most ${LINK_LIMITS.parameters} parameters`);
    }
    const name = storableText(received);
    if (characterCount(name) > LINK_LIMITS.nameLength) {
      throw new BadTrackingLink(printable(name), `parameter names must be at most ${LINK_LIMITS.nameLength} characters`);
    }
    const raw = query[received];
    const given = Array.isArray(raw) ? raw[0] : raw;
    if (given === undefined || given === '' || name === '') continue;
    const target = FIELD_OF.get(name);
    const extra = !target || (pathOfferId !== undefined && target.field === 'offerId');
    const id = !extra && ID_FIELDS.has(target.field);
    const value = id ? given : storableText(given);
    if (value === '') continue;
    const limit = target ? LINK_LIMITS.knownValueLength : LINK_LIMITS.extraValueLength;
    if (characterCount(value) > limit) throw new BadTrackingLink(name, `must be at most ${limit} characters`);
    if (extra) {
      // Two names that differ only in control characters are one parameter: the first stays.
      params[name] ??= value;
    } else if ((rank[target.field] ?? Infinity) > target.rank) {
      known[target.field] = value;
      rank[target.field] = target.rank;
    }
  }

  return {
    offerId: positiveId(pathOfferId ?? known.offerId, 'offer_id'),
    affiliateId: positiveId(known.affiliateId, 'aff_id'),
    sub1: known.sub1 ?? null,
    sub2: known.sub2 ?? null,
    sub3: known.sub3 ?? null,
    sub4: known.sub4 ?? null,
    sub5: known.sub5 ?? null,
    source: known.source ?? null,
    affClickId: known.affClickId ?? null,
    params,
  };
}
