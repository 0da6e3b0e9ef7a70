import { Prisma } from '@tracklane/db';
import { Actor, advertiserOf, affiliateOf, isAdmin } from '../access';

/**
 * The offers a caller may see. Admins: all. An advertiser: its own. An
 * affiliate: live offers it is approved for, and public ones it has not been
 * rejected or blocked from. Anything else answers 404.
 */
export function offerScope(actor: Actor): Prisma.OfferWhereInput {
  if (isAdmin(actor)) return {};
  const advertiserId = advertiserOf(actor);
  if (advertiserId !== null) return { advertiserId };
  const affiliateId = affiliateOf(actor);
  if (affiliateId === null) return { id: -1 };
  return {
    status: { not: 'archived' },
    OR: [
      { visibility: 'public', affiliates: { none: { affiliateId, status: { in: ['rejected', 'blocked'] } } } },
      { affiliates: { some: { affiliateId, status: 'approved' } } },
    ],
  };
}
