import { attribution } from '../../test/attribution-fixture';
import { postbackValues, substituteMacros } from './macros';

describe('postback macros', () => {
  const values = postbackValues(
    attribution({
      clickId: 'CLICKID0000000000000000000000A',
      affClickId: 'a&b=c d/e?f#g',
      sub1: 'Grüße 100%',
      sub2: "it's (quoted)*!",
      sub3: null,
      goalCode: 'sale',
      offerId: 10,
      payout: '12.5000',
      currency: 'EUR',
      conversionId: 'CONVERSION00000000000000000001',
      decidedAt: '2026-11-28T10:05:01.000Z',
    }),
  );

  it('substitutes every documented macro', () => {
    const url = substituteMacros(
      'https://aff.example/pb?c={click_id}&o={offer_id}&g={goal}&s={status}&p={payout}&cur={currency}&cv={conversion_id}&t={timestamp}&src={source}',
      values,
    );
    expect(url).toBe(
      'https://aff.example/pb?c=CLICKID0000000000000000000000A&o=10&g=sale&s=approved&p=12.5000&cur=EUR' +
        '&cv=CONVERSION00000000000000000001&t=1795860301&src=newsletter',
    );
  });

  it('URL-encodes values so they cannot break out of their parameter', () => {
    const url = substituteMacros('https://aff.example/pb?id={aff_click_id}&s1={sub1}&s2={sub2}', values);
    expect(url).toBe(
      'https://aff.example/pb?id=a%26b%3Dc%20d%2Fe%3Ff%23g&s1=Gr%C3%BC%C3%9Fe%20100%25&s2=it%27s%20%28quoted%29%2A%21',
    );
    expect(new URL(url).searchParams.get('id')).toBe('a&b=c d/e?f#g');
    expect(new URL(url).searchParams.get('s1')).toBe('Grüße 100%');
  });

  it('encodes in the path too, and leaves a missing value empty', () => {
    expect(substituteMacros('https://aff.example/{sub1}/x?s3={sub3}', values)).toBe(
      'https://aff.example/Gr%C3%BC%C3%9Fe%20100%25/x?s3=',
    );
  });

  it('matches names case-insensitively and leaves unknown braces alone', () => {
    expect(substituteMacros('https://a.example/?s={STATUS}&x={their_macro}', values)).toBe(
      'https://a.example/?s=approved&x={their_macro}',
    );
  });

  it('has no way to reach revenue, sale amount, advertiser or order id', () => {
    const url = substituteMacros('https://a.example/?r={revenue}&a={sale_amount}&adv={advertiser_id}&o={order_id}', values);
    expect(url).toBe('https://a.example/?r={revenue}&a={sale_amount}&adv={advertiser_id}&o={order_id}');
    expect(Object.keys(values).sort()).toEqual(
      [
        'aff_click_id', 'click_id', 'conversion_id', 'coupon_code', 'currency', 'goal', 'offer_id', 'payout', 'source', 'status',
        'sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'timestamp',
      ].sort(),
    );
    expect(JSON.stringify(values)).not.toMatch(/987\.6543|4321|ORDER-SECRET/);
  });
});
