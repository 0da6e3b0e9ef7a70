import { CatalogOffer } from '@tracklane/catalog';
import { DecisionReason } from './reasons';

/**
 * The attribution window and the minimum click-to-conversion time of the
 * offer, both inclusive at their edge: a conversion exactly one window after
 * its click counts, one a millisecond later does not. A conversion stamped
 * before its click (clocks of two services) counts as immediate.
 */
export function timingRejection(
  clickedAt: number,
  convertedAt: number,
  offer: Pick<CatalogOffer, 'attributionWindowSeconds' | 'minClickToConversionSeconds'>,
): DecisionReason | null {
  const elapsed = Math.max(0, convertedAt - clickedAt);
  if (elapsed > offer.attributionWindowSeconds * 1000) return 'outside_window';
  if (elapsed < offer.minClickToConversionSeconds * 1000) return 'too_fast';
  return null;
}
