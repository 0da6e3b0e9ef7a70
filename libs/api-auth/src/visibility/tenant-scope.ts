import { forbidden } from '@tracklane/http-api';
import type { PrismaClient } from '@tracklane/db';
import { Visibility } from './visibility';

/** Filter parameters that name another tenant's objects. */
export interface TenantFilters {
  advertiserIds?: readonly number[];
  affiliateIds?: readonly number[];
  offerIds?: readonly number[];
  goalIds?: readonly number[];
}

/** The parameter names a refusal names (both APIs use the snake_case query parameters). */
export interface FilterNames {
  advertiserIds: string;
  affiliateIds: string;
  offerIds: string;
  goalIds: string;
}

export const SNAKE_CASE_FILTERS: FilterNames = { advertiserIds: 'advertiser_id', affiliateIds: 'affiliate_id', offerIds: 'offer_id', goalIds: 'goal_id' };

/**
 * Refuses (403 naming the parameter) a filter on another tenant, in the
 * management and the reporting API alike: an advertiser key asking for
 * another advertiser, an affiliate key for another affiliate or for an
 * advertiser at all. Such a question is never answered with silently
 * filtered rows, which would tell the asker nothing it can act on.
 */
export function checkTenantIds(visibility: Visibility, filters: Pick<TenantFilters, 'advertiserIds' | 'affiliateIds'>, names: FilterNames = SNAKE_CASE_FILTERS): void {
  const { advertiserIds = [], affiliateIds = [] } = filters;
  if (visibility.role === 'affiliate' && advertiserIds.length > 0) throw forbidden('affiliate keys cannot filter by advertiser', names.advertiserIds);
  if (visibility.advertiserId !== null && advertiserIds.some((id) => id !== visibility.advertiserId)) {
    throw forbidden(`advertiser keys read only advertiser ${visibility.advertiserId}`, names.advertiserIds);
  }
  if (visibility.affiliateId !== null && affiliateIds.some((id) => id !== visibility.affiliateId)) {
    throw forbidden(`affiliate keys read only affiliate ${visibility.affiliateId}`, names.affiliateIds);
  }
}

/**
 * checkTenantIds, and the same for offers and goals, which advertisers own:
 * an advertiser key may filter on its own offers and their goals only. An
 * id that does not exist is refused the same way, so the answer does not
 * reveal what exists. (Affiliates own no offers: their rows are their own
 * traffic whatever offer they filter on.)
 */
export async function checkTenantFilters(
  prisma: Pick<PrismaClient, 'offer' | 'goal'>,
  visibility: Visibility,
  filters: TenantFilters,
  names: FilterNames = SNAKE_CASE_FILTERS,
): Promise<void> {
  checkTenantIds(visibility, filters, names);
  const advertiserId = visibility.role === 'advertiser' ? visibility.advertiserId : null;
  if (advertiserId === null) return;
  const { offerIds = [], goalIds = [] } = filters;
  if (offerIds.length > 0) {
    const rows = await prisma.offer.findMany({ where: { id: { in: [...new Set(offerIds)] }, advertiserId }, select: { id: true } });
    const foreign = offerIds.find((id) => !rows.some((row) => row.id === id));
    if (foreign !== undefined) throw forbidden(`offer ${foreign} is not one of advertiser ${advertiserId}'s offers`, names.offerIds);
  }
  if (goalIds.length > 0) {
    const rows = await prisma.goal.findMany({ where: { id: { in: [...new Set(goalIds)] }, offer: { advertiserId } }, select: { id: true } });
    const foreign = goalIds.find((id) => !rows.some((row) => row.id === id));
    if (foreign !== undefined) throw forbidden(`goal ${foreign} is not a goal of advertiser ${advertiserId}'s offers`, names.goalIds);
  }
}
