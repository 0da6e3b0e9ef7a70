import { attributionsV1, AttributionV1 } from '@tracklane/contracts';
import { DEAD_LETTER_HEADERS, OutgoingMessage } from '@tracklane/messaging';
import { ClaimedDelivery } from './delivery.repository';

/** Headers on a dead-lettered postback, besides the platform's error/topic/partition/offset. */
export const DISPATCH_DEAD_LETTER_HEADERS = {
  deliveryKey: 'x-tracklane-delivery-key',
  attempts: 'x-tracklane-delivery-attempts',
  deadLetteredBy: 'x-tracklane-dead-lettered-by',
} as const;

/**
 * A postback that gave up, as it goes to attributions.dlq.v1: the original
 * attributions.v1 message under its original key, with why and after how
 * many attempts, so an operator can fix the target and replay it.
 */
export function deadLetterOf(delivery: ClaimedDelivery, error: string, attempts: number): OutgoingMessage {
  let key = delivery.conversionId;
  try {
    key = attributionsV1.keyOf(JSON.parse(delivery.event) as AttributionV1);
  } catch {
    // Validated on the way in, so this does not happen; the conversion id still keys it sensibly.
  }
  return {
    key,
    value: delivery.event,
    headers: {
      [DEAD_LETTER_HEADERS.error]: `postback not delivered: ${error}`.slice(0, 1000),
      [DEAD_LETTER_HEADERS.topic]: delivery.sourceTopic,
      [DEAD_LETTER_HEADERS.partition]: String(delivery.sourcePartition),
      [DEAD_LETTER_HEADERS.offset]: delivery.sourceOffset,
      [DISPATCH_DEAD_LETTER_HEADERS.deliveryKey]: delivery.deliveryKey,
      [DISPATCH_DEAD_LETTER_HEADERS.attempts]: String(attempts),
      [DISPATCH_DEAD_LETTER_HEADERS.deadLetteredBy]: 'postback-dispatch',
    },
  };
}
