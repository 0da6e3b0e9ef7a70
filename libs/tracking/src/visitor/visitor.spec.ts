import { browserOf, deviceOf, operatingSystemOf } from './user-agent';
import { VisitorReader } from './visitor';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

describe('VisitorReader', () => {
  const plain = new VisitorReader({ countryHeader: null, clientIpHeader: null, extraBotPatterns: [], countries: null });
  const behindEdge = new VisitorReader({ countryHeader: 'CF-IPCountry', clientIpHeader: 'X-Forwarded-For', extraBotPatterns: ['Acme-Probe'], countries: null });

  it('takes the TCP peer as the visitor unless a trusted edge header is configured', () => {
    expect(plain.read({ 'x-forwarded-for': '198.51.100.1' }, '10.0.0.1').ip).toBe('10.0.0.1');
    expect(behindEdge.read({ 'x-forwarded-for': '198.51.100.1, 203.0.113.7' }, '10.0.0.1').ip).toBe('203.0.113.7');
    expect(behindEdge.read({ 'x-forwarded-for': '2001:db8::1' }, '10.0.0.1').ip).toBe('2001:db8::1');
    expect(behindEdge.read({ 'x-forwarded-for': 'not-an-ip' }, '10.0.0.1').ip).toBe('10.0.0.1');
  });

  it('reads the country from the edge header only when it is a country code', () => {
    expect(behindEdge.read({ 'cf-ipcountry': 'de' }, '10.0.0.1').country).toBe('DE');
    for (const value of ['XX', 'T1', 'DEU', '']) expect(behindEdge.read({ 'cf-ipcountry': value }, '10.0.0.1').country).toBeNull();
    expect(plain.read({ 'cf-ipcountry': 'DE' }, '10.0.0.1').country).toBeNull();
  });

  it('cuts overlong headers to what the contract holds', () => {
    const visitor = plain.read({ 'user-agent': `${CHROME}${'x'.repeat(2000)}`, referer: `https://r.example/${'y'.repeat(3000)}` }, '10.0.0.1');
    expect(visitor.userAgent).toHaveLength(1024);
    expect(visitor.referrer).toHaveLength(2048);
  });

  it('makes headers storable and cuts them in characters, never splitting a pair', () => {
    const visitor = plain.read({ 'user-agent': `UA\u0000\u007f/${'😀'.repeat(1100)}`, referer: '\u0001' }, '10.0.0.1');
    expect(visitor.userAgent).toBe(`UA/${'😀'.repeat(1021)}`);
    expect(visitor.referrer).toBeNull();
  });

  it('flags known bots, scripts, an empty user agent and the operator\'s own patterns', () => {
    expect(plain.read({ 'user-agent': CHROME }, '10.0.0.1').bot).toBe(false);
    for (const agent of ['Googlebot/2.1', 'Slackbot-LinkExpanding 1.0', 'curl/8.5.0', 'HeadlessChrome/120', '']) {
      expect(plain.read({ 'user-agent': agent }, '10.0.0.1').bot).toBe(true);
    }
    expect(plain.read({ 'user-agent': 'acme-probe/1' }, '10.0.0.1').bot).toBe(false);
    expect(behindEdge.read({ 'user-agent': 'acme-probe/1' }, '10.0.0.1').bot).toBe(true);
  });
});

describe('deviceOf', () => {
  it.each([
    [CHROME, 'desktop'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148', 'mobile'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/131.0 Mobile Safari/537.36', 'mobile'],
    ['Mozilla/5.0 (Linux; Android 14; SM-X710) Chrome/131.0 Safari/537.36', 'tablet'],
    ['Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X)', 'tablet'],
    ['', null],
  ])('reads %s as %s', (agent, device) => {
    expect(deviceOf(agent)).toBe(device);
  });
});

describe('operatingSystemOf and browserOf', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'windows', 'chrome'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70', 'windows', 'edge'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0', 'windows', 'opera'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 'windows', 'firefox'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', 'macos', 'safari'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', 'ios', 'safari'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1', 'ios', 'chrome'],
    ['Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15', 'ios', 'firefox'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36', 'android', 'chrome'],
    ['Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36', 'android', 'samsung'],
    ['Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'chromeos', 'chrome'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'linux', 'firefox'],
    ['curl/8.5.0', null, null],
    ['', null, null],
  ])('reads %s as %s and %s', (agent, system, browser) => {
    expect(operatingSystemOf(agent)).toBe(system);
    expect(browserOf(agent)).toBe(browser);
  });
});
