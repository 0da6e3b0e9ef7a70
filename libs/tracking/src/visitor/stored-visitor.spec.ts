import { hashedIp, normalisedUserAgent, storedIp, storedUserAgent, truncatedIp } from './stored-visitor';

describe('what of a visitor is stored', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0'],
    ['10.0.0.1', '10.0.0.0'],
    ['2001:db8:abcd:12:34::5', '2001:db8:abcd::'],
    ['2001:0db8:00ab:0012::', '2001:db8:ab::'],
    ['2001:db8::1', '2001:db8::'],
    ['::1', '::'],
    ['fe80::1:2:3:4', 'fe80::'],
    ['::ffff:198.51.100.9', '198.51.100.0'],
    ['not an address', ''],
  ])('truncates %s to %s', (ip, truncated) => {
    expect(truncatedIp(ip)).toBe(truncated);
  });

  it('hashes an IP with the network key: stable, keyed, the address not in it', () => {
    const hashed = hashedIp('203.0.113.77', 'key-one');
    expect(hashed).toMatch(/^h:[A-Za-z0-9_-]{27}$/);
    expect(hashedIp('203.0.113.77', 'key-one')).toBe(hashed);
    expect(hashedIp('203.0.113.78', 'key-one')).not.toBe(hashed);
    expect(hashedIp('203.0.113.77', 'key-two')).not.toBe(hashed);
    expect(hashed.length).toBeLessThanOrEqual(64); // clicks.v1 holds an ip of at most 64 characters
  });

  it('stores the IP as the network chose', () => {
    expect(storedIp('203.0.113.77', 'full', 'k')).toBe('203.0.113.77');
    expect(storedIp('203.0.113.77', 'truncated', 'k')).toBe('203.0.113.0');
    expect(storedIp('203.0.113.77', 'hashed', 'k')).toBe(hashedIp('203.0.113.77', 'k'));
  });

  it.each([
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36', 'mobile', 'chrome/131 android mobile'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', 'mobile', 'safari/18 ios mobile'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70', 'desktop', 'edge/131 windows desktop'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'desktop', 'firefox/133 linux desktop'],
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'desktop', 'Googlebot/2.1'],
    ['curl/8.5.0', 'desktop', 'curl/8.5.0'],
    ['Mozilla/5.0 (hand-made; secret-user-id-12345)', 'desktop', 'other'],
    ['', null, ''],
  ])('normalises %s', (userAgent, device, normalised) => {
    expect(normalisedUserAgent(userAgent, device as 'mobile' | 'desktop' | null)).toBe(normalised);
    expect(storedUserAgent(userAgent, device as 'mobile' | 'desktop' | null, 'full')).toBe(userAgent);
  });
});
