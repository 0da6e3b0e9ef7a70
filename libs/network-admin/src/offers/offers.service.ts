import { Injectable } from '@nestjs/common';
import { checkTenantIds, visibilityOf } from '@tracklane/api-auth';
import { clickDaysFor, FraudAction, OfferTargeting } from '@tracklane/catalog';
import { carriesClickId, CLICK_ID_MACRO_NAMES } from '@tracklane/tracking';
import { Offer, OfferAffiliate, Prisma, PrismaService } from '@tracklane/db';
import { Actor, affiliateOf, forbidden, invalid, isAdmin, notFound, onlyFields } from '../access';
import { idCursor, listedStatus, Page, PageQuery, pageSize, toPage } from '../lists';
import { ChangeLog, lockRow, offerHistory, Removal, Tx } from '../changes';
import { offerScope } from './offer-scope';
import { AffiliateOfferView, affiliateOfferView, CouponPrecedence, OfferStatus, OfferView, offerView, OfferVisibility } from './offer.view';

export interface OfferInput {
  advertiserId: number;
  name: string;
  status?: Exclude<OfferStatus, 'archived'>;
  visibility?: OfferVisibility;
  destinationUrl: string;
  fallbackUrl?: string | null;
  expiresAt?: string | null;
  timeZone?: string;
  currency?: string;
  attributionWindowSeconds?: number;
  minClickToConversionSeconds?: number;
  dailyCap?: number | null;
  monthlyCap?: number | null;
  affiliateDailyCap?: number | null;
  affiliateMonthlyCap?: number | null;
  onBot?: FraudAction;
  onRateLimited?: FraudAction;
  onNonUnique?: FraudAction;
  maxPostbackAmount?: string | null;
  targeting?: OfferTargeting | null;
  alternativeOfferId?: number | null;
  allowDestinationWithoutClickId?: boolean;
  couponPrecedence?: CouponPrecedence;
}

export type OfferPatch = Partial<Omit<OfferInput, 'advertiserId'>>;

/** An advertiser runs its landing pages and its budget; the commercial terms are the network's. */
export const ADVERTISER_OFFER_FIELDS = ['destinationUrl', 'fallbackUrl', 'status', 'expiresAt', 'dailyCap', 'monthlyCap', 'targeting'];

export interface OfferListQuery extends PageQuery {
  status?: OfferStatus;
  advertiserId?: number;
  /** Only offers whose destination URL does not carry the click id (the check of existing offers). */
  missingClickId?: boolean;
}

export type OfferFor = OfferView | AffiliateOfferView;

@Injectable()
export class OffersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: ChangeLog,
  ) {}

  async list(actor: Actor, query: OfferListQuery): Promise<Page<OfferFor>> {
    const size = pageSize(query);
    // Affiliates do not learn which advertiser is behind an offer, not even by filtering (403, as in reporting).
    checkTenantIds(visibilityOf(actor, { advertisersSeePayouts: false }), { advertiserIds: query.advertiserId === undefined ? [] : [query.advertiserId] });
    if (query.missingClickId && affiliateOf(actor) !== null) throw forbidden('affiliate keys do not see destination URLs', 'missing_click_id');
    const rows = await this.prisma.offer.findMany({
      where: {
        AND: [
          offerScope(actor),
          listedStatus(query.status),
          { advertiserId: query.advertiserId, id: { gt: idCursor(query) } },
          query.missingClickId ? { id: { in: await this.offersMissingClickId() } } : {},
        ],
      },
      include: approvalOf(actor),
      orderBy: { id: 'asc' },
      take: size + 1,
    });
    return toPage(rows, size, (row) => String(row.id), (row) => viewFor(actor, row));
  }

  async get(actor: Actor, id: number): Promise<OfferFor> {
    const row = await this.prisma.offer.findFirst({ where: { AND: [offerScope(actor), { id }] }, include: approvalOf(actor) });
    if (!row) throw notFound('offer', id);
    return viewFor(actor, row);
  }

  async create(actor: Actor, input: OfferInput): Promise<OfferView> {
    if (!isAdmin(actor)) throw forbidden('only admin keys create offers');
    return this.changes.apply(actor, async (tx, trail) => {
      const advertiser = await tx.advertiser.findUnique({ where: { id: input.advertiserId } });
      if (!advertiser) throw invalid('advertiserId', `names no advertiser (${input.advertiserId})`);
      if (advertiser.status === 'archived') throw invalid('advertiserId', `names an archived advertiser (${input.advertiserId})`);
      const data = offerData(input);
      checkTiming(data);
      await checkWindowKept(tx, data.attributionWindowSeconds ?? DEFAULT_WINDOW_SECONDS);
      checkClickId(input.destinationUrl, input.allowDestinationWithoutClickId ?? false, 'destinationUrl');
      if (input.alternativeOfferId != null) await checkAlternative(tx, null, input.alternativeOfferId);
      const row = await tx.offer.create({
        data: { ...data, advertiserId: input.advertiserId, name: input.name, destinationUrl: input.destinationUrl },
      });
      trail.record({ action: 'create', entity: 'offer', entityId: row.id, before: null, after: row });
      return offerView(row);
    });
  }

  async update(actor: Actor, id: number, patch: OfferPatch): Promise<OfferView> {
    if (affiliateOf(actor) !== null) throw forbidden('affiliate keys cannot change offers');
    if (!isAdmin(actor)) onlyFields(patch, ADVERTISER_OFFER_FIELDS, 'advertiser keys');
    return this.changes.apply(actor, async (tx, trail) => {
      const before = await this.findLocked(tx, actor, id);
      const data = offerData(patch);
      checkTiming({ ...before, ...stripUndefined(data) });
      await checkWindowKept(tx, data.attributionWindowSeconds);
      if (patch.destinationUrl !== undefined || patch.allowDestinationWithoutClickId !== undefined) {
        checkClickId(
          patch.destinationUrl ?? before.destinationUrl,
          patch.allowDestinationWithoutClickId ?? before.allowDestinationWithoutClickId,
          patch.destinationUrl !== undefined ? 'destinationUrl' : 'allowDestinationWithoutClickId',
        );
      }
      if (patch.alternativeOfferId != null) await checkAlternative(tx, id, patch.alternativeOfferId);
      const restoring = patch.status !== undefined && before.status === 'archived';
      const after = await tx.offer.update({ where: { id }, data: { ...data, archivedAt: restoring ? null : undefined } });
      trail.record({ action: restoring ? 'restore' : 'update', entity: 'offer', entityId: id, before, after });
      return offerView(after);
    });
  }

  /** Deletes an offer (and its goals) without history; archives one with history. */
  async remove(actor: Actor, id: number): Promise<Removal> {
    if (!isAdmin(actor)) throw forbidden('only admin keys delete offers');
    return this.changes.apply(actor, async (tx, trail) => {
      const before = await this.findLocked(tx, actor, id);
      if (before.status === 'archived') return { id, outcome: 'archived', reason: 'it was already archived' };
      const reason = await offerHistory(tx, id);
      if (reason === null) {
        for (const goal of await tx.goal.findMany({ where: { offerId: id } })) {
          await tx.goal.delete({ where: { id: goal.id } });
          trail.record({ action: 'delete', entity: 'goal', entityId: goal.id, before: goal, after: null });
        }
        // Offers that sent their untargeted visitors here send them to their fallback from now on.
        for (const referring of await tx.offer.findMany({ where: { alternativeOfferId: id } })) {
          const after = await tx.offer.update({ where: { id: referring.id }, data: { alternativeOfferId: null } });
          trail.record({ action: 'update', entity: 'offer', entityId: referring.id, before: referring, after });
        }
        await tx.offer.delete({ where: { id } });
        trail.record({ action: 'delete', entity: 'offer', entityId: id, before, after: null });
        return { id, outcome: 'deleted', reason: null };
      }
      const after = await tx.offer.update({ where: { id }, data: { status: 'archived', archivedAt: new Date() } });
      trail.record({ action: 'archive', entity: 'offer', entityId: id, before, after });
      return { id, outcome: 'archived', reason };
    });
  }

  /** Offers whose destination URL carries no click id macro in any spelling click-ingest reads (its names, any case). */
  private async offersMissingClickId(): Promise<number[]> {
    const pattern = `\\{(${CLICK_ID_MACRO_NAMES.join('|')})\\}`;
    const rows = await this.prisma.$queryRaw<{ id: number }[]>`SELECT id FROM offers WHERE destination_url !~* ${pattern}`;
    return rows.map((row) => row.id);
  }

  private async findLocked(tx: Tx, actor: Actor, id: number): Promise<Offer> {
    await lockRow(tx, 'offers', id);
    const row = await tx.offer.findFirst({ where: { AND: [offerScope(actor), { id }] } });
    if (!row) throw notFound('offer', id);
    return row;
  }
}

/** For an affiliate, its approval row on each offer comes along (its status and caps). */
function approvalOf(actor: Actor) {
  const affiliateId = affiliateOf(actor);
  return { affiliates: { where: { affiliateId: affiliateId ?? -1 } } };
}

function viewFor(actor: Actor, row: Offer & { affiliates: OfferAffiliate[] }): OfferFor {
  return affiliateOf(actor) !== null ? affiliateOfferView(row, row.affiliates[0]) : offerView(row);
}

/** Input as stored (times as dates); absent fields stay untouched. */
function offerData(input: OfferPatch) {
  return {
    name: input.name,
    status: input.status,
    visibility: input.visibility,
    destinationUrl: input.destinationUrl,
    fallbackUrl: input.fallbackUrl,
    expiresAt: input.expiresAt && new Date(input.expiresAt),
    timeZone: input.timeZone,
    currency: input.currency,
    attributionWindowSeconds: input.attributionWindowSeconds,
    minClickToConversionSeconds: input.minClickToConversionSeconds,
    dailyCap: input.dailyCap,
    monthlyCap: input.monthlyCap,
    affiliateDailyCap: input.affiliateDailyCap,
    affiliateMonthlyCap: input.affiliateMonthlyCap,
    onBot: input.onBot,
    onRateLimited: input.onRateLimited,
    onNonUnique: input.onNonUnique,
    maxPostbackAmount: input.maxPostbackAmount,
    // A JSON column is cleared with DbNull; undefined leaves it untouched.
    targeting: input.targeting === null ? Prisma.DbNull : (input.targeting as Prisma.InputJsonObject | undefined),
    alternativeOfferId: input.alternativeOfferId,
    allowDestinationWithoutClickId: input.allowDestinationWithoutClickId,
    couponPrecedence: input.couponPrecedence,
  };
}

/**
 * An alternative offer is another offer that exists and is not archived. One that is paused later, or whose
 * affiliate or targeting does not take a visitor, is passed over at the click, which then goes to the fallback.
 */
async function checkAlternative(tx: Tx, offerId: number | null, alternativeOfferId: number): Promise<void> {
  if (alternativeOfferId === offerId) throw invalid('alternativeOfferId', 'names the offer itself');
  const alternative = await tx.offer.findUnique({ where: { id: alternativeOfferId }, select: { status: true } });
  if (!alternative) throw invalid('alternativeOfferId', `names no offer (${alternativeOfferId})`);
  if (alternative.status === 'archived') throw invalid('alternativeOfferId', `names an archived offer (${alternativeOfferId})`);
}

/**
 * A destination without the click id (or an alias) sends visitors to an
 * advertiser that can never name their click in a postback: every
 * conversion would be lost. Refused unless the operator set the offer's
 * flag, which the audit log then records with the change.
 */
function checkClickId(destinationUrl: string, allowed: boolean, field: 'destinationUrl' | 'allowDestinationWithoutClickId'): void {
  if (allowed || carriesClickId(destinationUrl)) return;
  throw invalid(
    field,
    field === 'destinationUrl'
      ? `has no {click_id} (nor ${CLICK_ID_MACRO_NAMES.filter((name) => name !== 'click_id').map((name) => `{${name}}`).join(', ')}), so no postback could name the click; add it, or set allowDestinationWithoutClickId: true if that is intended`
      : 'cannot be false while destinationUrl has no {click_id}; add it to destinationUrl first',
  );
}

/** offers.attribution_window_seconds' default: 30 days. */
const DEFAULT_WINDOW_SECONDS = 2_592_000;

function checkTiming(offer: { attributionWindowSeconds?: unknown; minClickToConversionSeconds?: unknown }): void {
  const window = Number(offer.attributionWindowSeconds ?? DEFAULT_WINDOW_SECONDS);
  const minimum = Number(offer.minClickToConversionSeconds ?? 0);
  if (minimum >= window) {
    throw invalid('minClickToConversionSeconds', `must be less than attributionWindowSeconds (${window})`);
  }
}

/** An attribution window needs its clicks kept: one longer than the network's click retention is refused. */
async function checkWindowKept(tx: Tx, windowSeconds: number | undefined): Promise<void> {
  if (windowSeconds === undefined) return;
  const { clickRetentionDays } = await tx.networkSettings.findUniqueOrThrow({ where: { id: 1 }, select: { clickRetentionDays: true } });
  if (clickRetentionDays !== null && clickDaysFor(windowSeconds) > clickRetentionDays) {
    throw invalid(
      'attributionWindowSeconds',
      `needs ${clickDaysFor(windowSeconds)} days of clicks, and the network keeps ${clickRetentionDays} (clickRetentionDays); raise that first`,
    );
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
