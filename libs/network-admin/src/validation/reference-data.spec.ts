import { currencyProblem, ISO_4217_CURRENCIES } from './currency';
import { instantProblem } from './instant';
import { ipAllowlistProblem } from './ip-allowlist';
import { timeZoneProblem } from './time-zone';

describe('time zones', () => {
  it('are IANA names, current and legacy', () => {
    for (const zone of ['Europe/Berlin', 'UTC', 'Etc/UTC', 'Asia/Kolkata', 'Asia/Calcutta', 'America/Argentina/Buenos_Aires', 'Europe/Kyiv']) {
      expect(timeZoneProblem(zone)).toBeNull();
    }
  });

  it('are spelled one way only', () => {
    expect(timeZoneProblem('europe/berlin')).toBe('must be spelled "Europe/Berlin"');
    expect(timeZoneProblem('utc')).toBe('must be spelled "UTC"');
  });

  it('refuse made-up zones and bare offsets', () => {
    for (const bad of ['Mars/Olympus_Mons', '+02:00', 'GMT+2 ', '', '../etc/passwd']) {
      expect(timeZoneProblem(bad)).toMatch(/IANA time zone/);
    }
    expect(timeZoneProblem(3)).toBe('must be a string');
  });
});

describe('currencies', () => {
  it('are ISO 4217 codes in capitals', () => {
    for (const code of ['USD', 'EUR', 'JPY', 'GBP', 'BRL', 'INR']) expect(currencyProblem(code)).toBeNull();
    for (const bad of ['usd', 'US', 'XXX', 'XTS', 'XAU', 'ABC', 'EURO']) expect(currencyProblem(bad)).toMatch(/ISO 4217/);
  });

  it('are all known to this Node.js (so they format and convert everywhere)', () => {
    const known = new Set(Intl.supportedValuesOf('currency'));
    const missing = [...ISO_4217_CURRENCIES].filter((code) => !known.has(code) && !['VED', 'XCG', 'ZWG'].includes(code));
    expect(missing).toEqual([]);
  });
});

describe('IP allowlists', () => {
  it('hold IPv4/IPv6 addresses and CIDR ranges', () => {
    expect(ipAllowlistProblem([])).toBeNull();
    expect(ipAllowlistProblem(['203.0.113.7', '198.51.100.0/24', '2001:db8::/32', '::1', '0.0.0.0/0'])).toBeNull();
  });

  it('name the entry that is wrong', () => {
    expect(ipAllowlistProblem(['203.0.113.7', 'example.com'])).toBe('holds "example.com" is not an IP address or CIDR range');
    expect(ipAllowlistProblem(['10.0.0.0/33'])).toBe('holds "10.0.0.0/33" has a prefix length outside 0..32');
    expect(ipAllowlistProblem(['2001:db8::/129'])).toBe('holds "2001:db8::/129" has a prefix length outside 0..128');
    expect(ipAllowlistProblem(['10.0.0.0/8/1'])).toMatch(/not an IP address/);
    expect(ipAllowlistProblem('10.0.0.1')).toMatch(/must be an array/);
    expect(ipAllowlistProblem([7])).toBe('must hold only strings');
  });
});

describe('instants', () => {
  it('carry their offset', () => {
    expect(instantProblem('2025-03-30T00:00:00Z')).toBeNull();
    expect(instantProblem('2025-03-30T02:30:00.123+02:00')).toBeNull();
    for (const bad of ['2025-03-30', '2025-03-30T00:00:00', '2025-13-45T00:00:00Z', 'yesterday']) {
      expect(instantProblem(bad)).toMatch(/with an offset/);
    }
  });
});
