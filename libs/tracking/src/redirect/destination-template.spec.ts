import type { ClickV1 } from '@tracklane/contracts';
import { compileTemplate, DestinationTemplates } from './destination-template';

const click: ClickV1 = {
  v: 1,
  clickId: '01jzz0x7h3k2m4n5p6q7r8s9t0vwxy',
  occurredAt: '2026-11-28T12:00:00.000Z',
  offerId: 10,
  advertiserId: 3,
  affiliateId: 7,
  sub1: 'one',
  sub2: null,
  sub3: null,
  sub4: null,
  sub5: 'five',
  source: 'mail',
  affClickId: 'pub-1',
  ip: '203.0.113.1',
  userAgent: 'Mozilla/5.0',
  referrer: null,
  country: null,
  device: 'desktop',
  unique: true,
  flags: [],
  disposition: 'accepted',
  params: {},
};
const now = Date.parse(click.occurredAt);

describe('destination templates', () => {
  it('fills in every macro and its aliases; an unknown macro becomes empty', () => {
    const render = compileTemplate(
      'https://a.example/?c={click_id}&t={transaction_id}&o={offer_id}&a={aff_id}&af={affiliate_id}&adv={advertiser_id}' +
        '&s1={sub1}&s1b={aff_sub}&s2={sub2}&s5={aff_sub5}&src={source}&sid={source_id}&ac={aff_click_id}&ts={timestamp}&u={nope}',
    );
    expect(render(click, now)).toBe(
      `https://a.example/?c=${click.clickId}&t=${click.clickId}&o=10&a=7&af=7&adv=3` +
        '&s1=one&s1b=one&s2=&s5=five&src=mail&sid=mail&ac=pub-1&ts=1795867200&u=',
    );
  });

  it('matches macro names case-insensitively', () => {
    expect(compileTemplate('https://a.example/{CLICK_ID}')(click, now)).toBe(`https://a.example/${click.clickId}`);
  });

  it('URL-encodes values so they cannot add parameters, change the host or break a header', () => {
    const hostile = { ...click, sub1: 'x&y=z#f', sub2: '\r\nLocation: https://evil.example/', sub3: '@evil.example/', sub4: '\ud800' };
    const url = compileTemplate('https://a.example/?a={sub1}&b={sub2}&c={sub3}&d={sub4}')(hostile, now);
    expect(url).toBe('https://a.example/?a=x%26y%3Dz%23f&b=%0D%0ALocation%3A%20https%3A%2F%2Fevil.example%2F&c=%40evil.example%2F&d=%EF%BF%BD');
    expect(url).toMatch(/^[!-~]+$/);
  });

  it('percent-encodes what the operator typed that a header cannot carry, and keeps the rest', () => {
    expect(compileTemplate('https://a.example/ä b\t?x=%41&c={click_id}')(click, now)).toBe(
      `https://a.example/%C3%A4%20b%09?x=%41&c=${click.clickId}`,
    );
  });

  it('keeps braces that hold no macro name as literal text', () => {
    expect(compileTemplate('https://a.example/{not a macro}')(click, now)).toBe('https://a.example/{not%20a%20macro}');
  });

  it('compiles each template once and renders it for every click', () => {
    const templates = new DestinationTemplates();
    expect(templates.render('https://a.example/?c={click_id}', click, now)).toBe(`https://a.example/?c=${click.clickId}`);
    expect(templates.render('https://a.example/?c={click_id}', { ...click, clickId: 'other' }, now)).toBe(
      'https://a.example/?c=other',
    );
  });
});
