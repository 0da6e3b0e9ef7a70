import { InvalidationBus } from '@tracklane/cache';

export type CatalogEntity =
  | 'advertiser'
  | 'offer'
  | 'goal'
  | 'affiliate'
  | 'offer_affiliate'
  | 'payout_override'
  | 'affiliate_postback'
  | 'coupon_code'
  | 'network_settings';

/** Called by writers after their transaction commits: every service reloads its catalogue. */
export function announceCatalogChange(bus: InvalidationBus, entity: CatalogEntity, id: string | number | null): Promise<void> {
  return bus.publish({ entity, id });
}
