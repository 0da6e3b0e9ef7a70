import { CatalogSnapshot } from '@tracklane/catalog';
import { AttributionV1 } from '@tracklane/contracts';
import { isolatePoison } from '@tracklane/db';
import { ConsumedMessage, DeadLetter } from '@tracklane/messaging';
import type { Logger } from 'pino';
import { DeliveryRepository, NewDelivery } from '../delivery/delivery.repository';
import { planPostback } from '../planning/postback-plan';

export interface AttributionIntakeDeps {
  deliveries: DeliveryRepository;
  catalog: () => CatalogSnapshot;
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
  const record = async (messages: ConsumedMessage<AttributionV1>[]): Promise<void> => {
    const snapshot = deps.catalog();
    const planned = new Map<string, NewDelivery>();
    for (const message of messages) {
      const plan = planPostback(message.value, snapshot);
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
