import { newId } from '@tracklane/contracts';
import { NO_MAPPING } from '../params/partner-mapping';
import { readPostback, RequestParam } from '../params/read-postback';
import { validatePostback } from '../validation/validate-postback';
import { postbackFingerprint } from './fingerprint';

const clickId = newId();
const fingerprintAsSent = (params: RequestParam[], advertiserId = 1) =>
  postbackFingerprint(advertiserId, validatePostback(readPostback(params, NO_MAPPING), undefined));
const fingerprint = (params: RequestParam[], advertiserId = 1) => fingerprintAsSent([['click_id', clickId], ...params], advertiserId);

describe('postbackFingerprint', () => {
  it('is the same for the same postback, however it is spelled', () => {
    const first = fingerprint([['amount', '19.99'], ['currency', 'eur'], ['goal', 'Sale'], ['note', 'x'], ['ts', '1'], ['token', 'a']]);
    expect(fingerprint([['ts', '1'], ['note', 'x'], ['goal', 'sale'], ['currency', 'EUR'], ['sale_amount', '19.9900'], ['token', 'b']])).toBe(first);
    expect(fingerprintAsSent([['CID', clickId.toUpperCase()], ['amount', '19.99'], ['currency', 'EUR'], ['goal', 'sale'], ['note', 'x'], ['ts', '1']])).toBe(
      first,
    );
  });

  it('differs when anything that matters differs', () => {
    const base: RequestParam[] = [['amount', '19.99'], ['status', 'pending'], ['note', 'x']];
    const first = fingerprint(base);
    expect(fingerprint(base, 2)).not.toBe(first);
    expect(fingerprint([['amount', '19.98'], ['status', 'pending'], ['note', 'x']])).not.toBe(first);
    expect(fingerprint([['amount', '19.99'], ['status', 'approved'], ['note', 'x']])).not.toBe(first);
    expect(fingerprint([['amount', '19.99'], ['status', 'pending'], ['note', 'y']])).not.toBe(first);
    expect(fingerprint([['amount', '19.99'], ['status', 'pending'], ['note', 'x'], ['adv_sub1', 's']])).not.toBe(first);
  });
});
