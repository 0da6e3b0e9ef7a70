import { Catalog, CatalogSnapshot } from '@tracklane/catalog';
import { AttributionV1 } from '@tracklane/contracts';
import { isolatePoison } from '@tracklane/db';
import { ConsumedMessage, DeadLetter } from '@tracklane/messaging';
import type { Logger } from 'pino';
import { DeliveryRepository, NewDelivery } from '../delivery/delivery.repository';
import { planPostback } from '../planning/postback-plan';

/** The decision names an affiliate, or an offer, that the catalogue does not hold. */
function lacks(catalog: CatalogSnapshot, { affiliateId, offerId }: AttributionV1): boolean {
  return affiliateId !== null && (!catalog.affiliate(affiliateId) || (offerId !== null && !catalog.offer(offerId)));
}

export interface AttributionIntakeDeps {
  deliveries: DeliveryRepository;
  catalog: Pick<Catalog, 'current' | 'loadedAfter'>;
  /** Called when new deliveries were recorded, so they go out without waiting for the next poll. */
  onRecorded: () => void;
  logger: Logger;
}

/**
 * The attributions.v1 batch handler: decides which decisions become
 * postbacks and records them, in one statement per batch, before the
 * offsets are committed. Sending happens elsewhere (DeliveryDispatcher), so
 * the partition moves on however slow the affiliates are. A replayed
 * message finds its delivery already recorded and changes nothing. A message
 * Postgres refuses as data is dead-lettered on its own; the rest are recorded.
 */
export function attributionIntake(deps: AttributionIntakeDeps) {
  /**
   * A decision may name an affiliate or offer created after this instance
   * last loaded the catalogue (its announcement still on the way, or
   * missed): it is planned with a snapshot loaded after it
   * (Catalog.loadedAfter). Only an affiliate that such a snapshot lacks
   * (archived) gets no postback, and that is logged; an archived offer's
   * postbacks go to the affiliate's global URL.
   */
  const snapshotFor = async (messages: ConsumedMessage<AttributionV1>[]): Promise<CatalogSnapshot> => {
    const snapshot = deps.catalog.current();
    const lacking = messages.filter(({ value }) => lacks(snapshot, value));
    if (lacking.length === 0) return snapshot;
    return deps.catalog.loadedAfter(lacking.reduce((newest, { timestamp }) => Math.max(newest, timestamp), -Infinity));
  };

  const record = async (messages: ConsumedMessage<AttributionV1>[]): Promise<void> => {
    const snapshot = await snapshotFor(messages);
    const planned = new Map<string, NewDelivery>();
    for (const message of messages) {
      const plan = planPostback(message.value, snapshot);
      const { conversionId, affiliateId } = message.value;
      if (!plan && affiliateId !== null && !snapshot.affiliate(affiliateId)) {
        deps.logger.warn({ conversionId, affiliateId }, 'no postback: the affiliate is not in the catalogue (archived)');
      }
      if (!plan || planned.has(plan.deliveryKey)) continue;
      planned.set(plan.deliveryKey, {
        ...plan,
        event: message.raw?.toString('utf8') ?? JSON.stringify(message.value),
        sourceTopic: message.topic,
        sourcePartition: message.partition,
        sourceOffset: message.offset,
      });
      if (plan.refusal) {
        const { deliveryKey, conversionId, affiliateId, urlMasked: url, refusal: error } = plan;
        deps.logger.warn({ deliveryKey, conversionId, affiliateId, url, error }, 'postback refused: unusable URL');
      }
    }
    const recorded = await deps.deliveries.insert([...planned.values()]);
    if (recorded > 0) deps.onRecorded();
  };
  return async (messages: ConsumedMessage<AttributionV1>[]): Promise<DeadLetter[]> => (await isolatePoison(messages, record)).deadLetters;
}
