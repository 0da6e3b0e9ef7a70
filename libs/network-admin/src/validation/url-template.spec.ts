import { AFFILIATE_POSTBACK_MACROS, DESTINATION_MACROS, urlTemplateProblem } from './url-template';

const destination = (url: unknown) => urlTemplateProblem(url, { macros: DESTINATION_MACROS });
const postback = (url: unknown) => urlTemplateProblem(url, { macros: AFFILIATE_POSTBACK_MACROS, allowCredentials: true });

describe('URL templates', () => {
  it('accept http(s) URLs that use only known macros', () => {
    expect(destination('https://shop.example/landing?cid={click_id}&tid={transaction_id}&s={sub1}&t={timestamp}')).toBeNull();
    expect(destination('http://127.0.0.1:3000/x/{offer_id}/{aff_id}/{advertiser_id}?a={aff_click_id}&src={source}&s5={sub5}')).toBeNull();
    expect(destination('https://shop.example/')).toBeNull();
    expect(postback('https://user:pass@tracker.example/pb?c={click_id}&p={payout}&s={status}&g={goal}&id={conversion_id}')).toBeNull();
  });

  it('name the unknown macro, and the ones that exist', () => {
    expect(destination('https://shop.example/?c={clickid}')).toMatch(/^uses the unknown macro \{clickid\}; known macros are \{click_id\}/);
    expect(destination('https://shop.example/?c={}')).toMatch(/unknown macro \{\}/);
    // Revenue is the advertiser's business, never the affiliate's.
    expect(postback('https://tracker.example/pb?r={revenue}')).toMatch(/unknown macro \{revenue\}/);
    expect(destination('https://shop.example/?p={payout}')).toMatch(/unknown macro \{payout\}/);
  });

  it('refuse anything but absolute http(s) URLs', () => {
    expect(destination('ftp://shop.example/')).toBe('must be an absolute http:// or https:// URL');
    expect(destination('javascript:alert(1)')).toBe('must be an absolute http:// or https:// URL');
    expect(destination('//shop.example/')).toBe('must be an absolute http:// or https:// URL');
    expect(destination('/relative/path')).toBe('must be an absolute http:// or https:// URL');
    expect(destination('https://')).toBe('must be an absolute http:// or https:// URL');
    expect(destination(42)).toBe('must be a string');
  });

  it('never let a macro choose the host (no open redirect through sub ids)', () => {
    expect(destination('https://{sub1}/x')).toBe('must not use macros in the host or port');
    expect(destination('https://shop.{sub1}.example/')).toBe('must not use macros in the host or port');
    expect(destination('https://shop.example:{sub1}/')).toBe('must not use macros in the host or port');
    expect(destination('https://{sub1}@shop.example/')).toBe('must not use macros in the host or port');
  });

  it('refuse whitespace, control characters, stray braces and credentials in redirects', () => {
    expect(destination('https://shop.example/?a=b c')).toBe('must not contain spaces or control characters');
    expect(destination('https://shop.example/\r\nSet-Cookie: x=1')).toBe('must not contain spaces or control characters');
    expect(destination('https://shop.example/?a={click_id')).toBe('has a "{" or "}" that does not belong to a macro');
    expect(destination('https://shop.example/?a=}')).toBe('has a "{" or "}" that does not belong to a macro');
    expect(destination('https://user:secret@shop.example/')).toBe('must not contain a user name or password');
    expect(destination(`https://shop.example/?q=${'a'.repeat(2100)}`)).toBe('must be at most 2048 characters');
  });
});
