import { BadTrackingLink } from '../link/tracking-link';
import { mayRecordFor, readDirectClick } from './direct-link';

describe('direct clicks', () => {
  it("keep only a tracking link's own parameters of the page, and the referrer", () => {
    expect(readDirectClick('offer_id=12&aff_id=7&aff_sub=a&utm_source=news&gclid=x&referrer=https%3A%2F%2Fblog.example%2Fp')).toEqual({
      link: { offer_id: '12', aff_id: '7', aff_sub: 'a' },
      referrer: 'https://blog.example/p',
    });
    expect(readDirectClick({ offer_id: 12, aff_id: '7', sub1: ['x', 'y'], sub2: { nested: 1 }, referrer: '' })).toEqual({
      link: { offer_id: '12', aff_id: '7', sub1: 'x' },
      referrer: null,
    });
  });

  it('take the first of a repeated parameter, and make the referrer storable', () => {
    expect(readDirectClick('aff_id=7&aff_id=8&referrer=a%00b&referrer=c')).toEqual({ link: { aff_id: '7' }, referrer: 'ab' });
    expect(readDirectClick(`referrer=${'r'.repeat(3000)}`).referrer).toHaveLength(2048);
  });

  it.each([[null], [[1, 2]], [42]])('refuse a body of %j naming the body', (body) => {
    expect(() => readDirectClick(body)).toThrow(new BadTrackingLink('body', 'must be the landing page parameters, form-encoded or as a JSON object'));
  });

  it.each([
    ['https://shop.example', 'https://shop.example/land?cid={click_id}', true],
    ['https://www.shop.example', 'https://shop.example/land', true],
    ['https://shop.example', 'https://www.shop.example/land', true],
    ['https://m.shop.example:8443', 'https://shop.example/land', true],
    ['http://127.0.0.1:4000', 'http://127.0.0.1:5000/land', true],
    ['https://evilshop.example', 'https://shop.example/land', false],
    ['https://shop.example.evil.example', 'https://shop.example/land', false],
    ['null', 'https://shop.example/land', false],
    [undefined, 'https://shop.example/land', false],
  ])('let %s record clicks of an offer landing on %s: %s', (origin, destination, allowed) => {
    expect(mayRecordFor(origin, destination)).toBe(allowed);
  });
});
