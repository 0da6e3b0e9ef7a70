import { conversionsV1, newId } from '@tracklane/contracts';
import { NO_MAPPING } from '../params/partner-mapping';
import { MAX_RAW_PARAMS, MAX_RAW_VALUE_LENGTH, readPostback, RequestParam } from '../params/read-postback';
import { validatePostback } from '../validation/validate-postback';
import { conversionEvent } from './conversion-event';

describe('conversionEvent', () => {
  it('makes a valid conversions.v1 event of any postback that passed validation, even at every limit', () => {
    const params: RequestParam[] = [
      ['click_id', newId().toUpperCase()],
      ['goal', 'G'.repeat(128)],
      ['amount', '99999999999999.9999'],
      ['currency', 'xau'],
      ['order_id', '"quoted" \\ order '.repeat(20).slice(0, 255)],
      ['status', 'REFUNDED'],
      ...[1, 2, 3, 4, 5].map((index): RequestParam => [`adv_sub${index}`, 'é'.repeat(512)]),
      ...Array.from({ length: MAX_RAW_PARAMS }, (_, index): RequestParam => [`raw_${index}`, '🎉'.repeat(MAX_RAW_VALUE_LENGTH / 2)]),
    ];
    const postback = validatePostback(readPostback(params, NO_MAPPING), 'key');
    const event = conversionEvent({ kind: 'status_change', eventId: newId(), conversionId: newId(), clickId: postback.clickId }, 7, postback, new Date());
    const encoded = JSON.stringify(event);
    expect(Buffer.from(encoded)).toEqual(conversionsV1.encode(event));
    expect(conversionsV1.decode(encoded)).toEqual(event);
  });
});
