import { Injectable } from '@nestjs/common';
import { checkTenantFilters, visibilityOf } from '@tracklane/api-auth';
import { COUPON_CODE_REASON, couponCodeOf } from '@tracklane/contracts';
import { CouponCode, Prisma, PrismaService, sqlStateOf } from '@tracklane/db';
import { Actor, advertiserOf, affiliateOf, conflict, conflicts, forbidden, invalid, invalidFields, isAdmin, notFound } from '../access';
import { ChangeLog, lockRow, Removal, Tx } from '../changes';
import { idCursor, Page, PageQuery, pageSize, toPage } from '../lists';
import { CouponCodeView, couponCodeView } from './coupon-code.view';

/** The most codes one bulk request may create. */
export const COUPON_CODE_BATCH_MAX = 1000;

export interface CouponCodeInput {
  code: string;
  affiliateId: number;
  /** Leave out (or null) for a network-wide code. */
  offerId?: number | null;
}

export interface CouponCodeBatchInput {
  codes: string[];
  affiliateId: number;
  offerId?: number | null;
}

export interface CouponCodeListQuery extends PageQuery {
  offerId?: number;
  affiliateId?: number;
  /** Matched without regard to case. */
  code?: string;
}

/** A code of a request, with the field that names it in a refusal. */
interface RequestedCode {
  field: string;
  code: string;
  key: string;
}

/**
 * Promo codes: a code an affiliate hands out stands in for its click. Admins
 * create and delete them (there is no change: delete and create); an
 * affiliate reads its own, an advertiser those of its offers.
 */
@Injectable()
export class CouponCodesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: ChangeLog,
  ) {}

  async list(actor: Actor, query: CouponCodeListQuery): Promise<Page<CouponCodeView>> {
    const size = pageSize(query);
    await checkTenantFilters(this.prisma, visibilityOf(actor, { advertisersSeePayouts: false }), {
      offerIds: query.offerId === undefined ? [] : [query.offerId],
      affiliateIds: query.affiliateId === undefined ? [] : [query.affiliateId],
    });
    const codeKey = query.code === undefined ? undefined : requested([{ field: 'code', text: query.code }])[0].key;
    const rows = await this.prisma.couponCode.findMany({
      where: { AND: [scope(actor), { offerId: query.offerId, affiliateId: query.affiliateId, codeKey, id: { gt: idCursor(query) } }] },
      orderBy: { id: 'asc' },
      take: size + 1,
    });
    return toPage(rows, size, (row) => String(row.id), couponCodeView);
  }

  async get(actor: Actor, id: number): Promise<CouponCodeView> {
    const row = await this.prisma.couponCode.findFirst({ where: { AND: [scope(actor), { id }] } });
    if (!row) throw notFound('coupon code', id);
    return couponCodeView(row);
  }

  async create(actor: Actor, input: CouponCodeInput): Promise<CouponCodeView> {
    adminOnly(actor);
    const [created] = await this.createAll(actor, input.affiliateId, input.offerId ?? null, requested([{ field: 'code', text: input.code }]));
    return created;
  }

  /** All or nothing: one refused code refuses the request, naming each refused one. */
  async createBatch(actor: Actor, input: CouponCodeBatchInput): Promise<CouponCodeView[]> {
    adminOnly(actor);
    const codes = requested(input.codes.map((text, i) => ({ field: `codes[${i}]`, text })));
    return this.createAll(actor, input.affiliateId, input.offerId ?? null, codes);
  }

  /** Codes are settings, not history (a conversion keeps the code it was posted with as text): the audit log keeps what was removed. */
  async remove(actor: Actor, id: number): Promise<Removal> {
    adminOnly(actor);
    return this.changes.apply(actor, async (tx, trail) => {
      await lockRow(tx, 'coupon_codes', id);
      const before = await tx.couponCode.findUnique({ where: { id } });
      if (!before) throw notFound('coupon code', id);
      await tx.couponCode.delete({ where: { id } });
      trail.record({ action: 'delete', entity: 'coupon_code', entityId: id, before, after: null });
      return { id, outcome: 'deleted', reason: null };
    });
  }

  private async createAll(actor: Actor, affiliateId: number, offerId: number | null, codes: RequestedCode[]): Promise<CouponCodeView[]> {
    try {
      return await this.changes.apply(actor, async (tx, trail) => {
        const advertiserId = await advertiserOfCodes(tx, offerId, affiliateId);
        const taken = await tx.couponCode.findMany({ where: { advertiserId, codeKey: { in: codes.map((each) => each.key) } } });
        if (taken.length > 0) throw conflicts(codes.flatMap((each) => clash(each, taken)));
        const rows = await tx.couponCode.createManyAndReturn({
          data: codes.map(({ code, key }) => ({ code, codeKey: key, affiliateId, offerId, advertiserId })),
        });
        rows.sort((a, b) => a.id - b.id);
        for (const row of rows) trail.record({ action: 'create', entity: 'coupon_code', entityId: row.id, before: null, after: row });
        return rows.map(couponCodeView);
      });
    } catch (error) {
      // A concurrent request created one of these codes between our check and our insert: the unique index refused it.
      if (!isUniqueViolation(error)) throw error;
      throw conflict(codes.length === 1 ? codes[0].field : 'codes', 'was created by a concurrent request; nothing was created');
    }
  }
}

function adminOnly(actor: Actor): void {
  if (!isAdmin(actor)) throw forbidden('coupon codes are managed with admin keys');
}

/** Admins see every code, an advertiser those of its offers (not network-wide ones), an affiliate its own. */
function scope(actor: Actor): Prisma.CouponCodeWhereInput {
  if (isAdmin(actor)) return {};
  const advertiserId = advertiserOf(actor);
  if (advertiserId !== null) return { advertiserId };
  return { affiliateId: affiliateOf(actor) ?? -1 };
}

/**
 * The codes as stored and matched, or a 400 naming each refused one; a code
 * given twice (in any case) is a 409 naming the repeats.
 */
function requested(texts: Array<{ field: string; text: string }>): RequestedCode[] {
  const codes: RequestedCode[] = [];
  const refused: Array<{ field: string; reason: string }> = [];
  for (const { field, text } of texts) {
    const parsed = couponCodeOf(text);
    if (parsed) codes.push({ field, ...parsed });
    else refused.push({ field, reason: COUPON_CODE_REASON });
  }
  if (refused.length > 0) throw invalidFields(refused);
  const firstOf = new Map<string, RequestedCode>();
  const repeats: Array<{ field: string; reason: string }> = [];
  for (const each of codes) {
    const first = firstOf.get(each.key);
    if (first) repeats.push({ field: each.field, reason: `"${each.code}" repeats ${first.field} ("${first.code}"); codes match regardless of case` });
    else firstOf.set(each.key, each);
  }
  if (repeats.length > 0) throw conflicts(repeats);
  return codes;
}

function clash(wanted: RequestedCode, taken: CouponCode[]): Array<{ field: string; reason: string }> {
  const holder = taken.find((row) => row.codeKey === wanted.key);
  if (!holder) return [];
  const [place, rule] =
    holder.offerId === null ? ['network-wide', 'network-wide codes are unique'] : [`offer ${holder.offerId}`, "an advertiser's codes are unique"];
  return [
    {
      field: wanted.field,
      reason: `"${wanted.code}" is already coupon code ${holder.id} (affiliate ${holder.affiliateId}, ${place}); ${rule} regardless of case`,
    },
  ];
}

/**
 * The advertiser whose codes these become: the offer's, or null for
 * network-wide codes. The offer and the affiliate must exist and be live.
 */
async function advertiserOfCodes(tx: Tx, offerId: number | null, affiliateId: number): Promise<number | null> {
  let advertiserId: number | null = null;
  if (offerId !== null) {
    const offer = await tx.offer.findUnique({ where: { id: offerId }, select: { status: true, advertiserId: true } });
    if (!offer) throw invalid('offerId', `names no offer (${offerId})`);
    if (offer.status === 'archived') throw invalid('offerId', `names an archived offer (${offerId})`);
    advertiserId = offer.advertiserId;
  }
  const affiliate = await tx.affiliate.findUnique({ where: { id: affiliateId }, select: { status: true } });
  if (!affiliate) throw invalid('affiliateId', `names no affiliate (${affiliateId})`);
  if (affiliate.status === 'archived') throw invalid('affiliateId', `names an archived affiliate (${affiliateId})`);
  return advertiserId;
}

/** Prisma's unique violation, or Postgres' own. */
function isUniqueViolation(error: unknown): boolean {
  const code = sqlStateOf(error);
  return code === 'P2002' || code === '23505';
}
