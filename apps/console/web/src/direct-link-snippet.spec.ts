import { directLinkSnippet, domainLines, landingPageExample, snippetProblems } from './direct-link-snippet';

describe('the direct-link snippet', () => {
  it('is the script of the offer, leaving out settings that are the script’s defaults', () => {
    expect(directLinkSnippet('https://track.example.com/dl.js', 12, { param: '', days: '' })).toBe('<script async src="https://track.example.com/dl.js" data-offer="12"></script>');
    expect(directLinkSnippet('https://track.example.com/dl.js', 12, { param: 'tl_click', days: '30' })).toBe('<script async src="https://track.example.com/dl.js" data-offer="12"></script>');
  });

  it('carries a cookie name and lifetime of the advertiser’s own', () => {
    expect(directLinkSnippet('http://127.0.0.1:8080/dl.js', 3, { param: ' shop_click ', days: '90' })).toBe(
      '<script async src="http://127.0.0.1:8080/dl.js" data-offer="3" data-param="shop_click" data-days="90"></script>',
    );
  });

  it('escapes what could end the attribute or the tag', () => {
    expect(directLinkSnippet('https://t.example/dl.js?a="x"&b=<y>', 1, { param: '', days: '' })).toContain('src="https://t.example/dl.js?a=&quot;x&quot;&amp;b=&lt;y&gt;"');
  });

  it('names each setting the script could not use, and passes good ones', () => {
    expect(snippetProblems({ param: 'tl click;', days: '0' })).toEqual([
      { field: 'data-param', reason: 'letters, digits, "_" and "-" only, at most 64' },
      { field: 'data-days', reason: 'a whole number of days from 1 to 3650' },
    ]);
    expect(snippetProblems({ param: 'a', days: '1.5' }).map((problem) => problem.field)).toEqual(['data-days']);
    expect(snippetProblems({ param: 'shop-click_2', days: '3650' })).toEqual([]);
    expect(snippetProblems({ param: '', days: '' })).toEqual([]);
  });
});

describe('the landing page’s address for an affiliate', () => {
  it('names the affiliate and the sub ids filled, URL-encoded, or a placeholder for the affiliate', () => {
    expect(landingPageExample('shop.example', '7', { sub1: 'summer sale', sub2: '', source: 'a&b' })).toBe('https://shop.example/…?aff_id=7&sub1=summer%20sale&source=a%26b');
    expect(landingPageExample('shop.example', ' ', {})).toBe('https://shop.example/…?aff_id={aff_id}');
  });
});

describe('referrer domains as typed', () => {
  it('are one a line or comma-separated, blanks dropped', () => {
    expect(domainLines(' coupons.example \n\nblog.example, deals.example ,\n')).toEqual(['coupons.example', 'blog.example', 'deals.example']);
    expect(domainLines('  \n')).toEqual([]);
  });
});
