import { IpAllowlist } from './ip-allowlist';

describe('IpAllowlist', () => {
  it('allows everyone when empty', () => {
    expect(IpAllowlist.of([]).allows('198.51.100.7')).toBe(true);
  });

  it('matches single addresses and CIDR ranges, IPv4 and IPv6', () => {
    const list = IpAllowlist.of(['203.0.113.5', '198.51.100.0/24', '2001:db8::/32', ' 192.0.2.1 ']);
    expect(list.invalidEntries).toEqual([]);
    expect(list.allows('203.0.113.5')).toBe(true);
    expect(list.allows('203.0.113.6')).toBe(false);
    expect(list.allows('198.51.100.255')).toBe(true);
    expect(list.allows('198.51.101.0')).toBe(false);
    expect(list.allows('2001:db8:1::9')).toBe(true);
    expect(list.allows('2001:db9::1')).toBe(false);
    expect(list.allows('192.0.2.1')).toBe(true);
  });

  it('sees an IPv4 client on a dual-stack socket as IPv4', () => {
    expect(IpAllowlist.of(['10.0.0.0/8']).allows('::ffff:10.1.2.3')).toBe(true);
  });

  it('reports entries it cannot parse and refuses what the rest does not allow', () => {
    const list = IpAllowlist.of(['10.0.0.300', '10.0.0.0/33', 'example.com', '10.0.0.0/8/1', '127.0.0.1']);
    expect(list.invalidEntries).toEqual(['10.0.0.300', '10.0.0.0/33', 'example.com', '10.0.0.0/8/1']);
    expect(list.allows('127.0.0.1')).toBe(true);
    expect(list.allows('10.0.0.1')).toBe(false);
    expect(IpAllowlist.of(['nonsense']).allows('10.0.0.1')).toBe(false);
  });

  it('refuses what is not an address', () => {
    expect(IpAllowlist.of(['0.0.0.0/0']).allows('')).toBe(false);
    expect(IpAllowlist.of(['0.0.0.0/0']).allows('not-an-ip')).toBe(false);
  });
});
