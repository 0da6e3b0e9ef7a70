import { AddressPolicy, InvalidAllowListEntry, Target, targetOf } from './address-policy';
import { normaliseHost } from './host';
import { formatIp, parseIp, parseIpv4 } from './ip-address';
import { specialKind } from './special-ranges';

function kindOf(address: string): string | null {
  const bytes = parseIp(address);
  if (!bytes) throw new Error(`${address} did not parse`);
  return specialKind(bytes);
}

function target(url: string): Target {
  const parsed = targetOf(url);
  if (!parsed) throw new Error(`${url} has no target`);
  return parsed;
}

describe('special-purpose ranges', () => {
  // One address inside each range of the IANA registries (and the edges of the wide ones).
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', '"this network"'],
    ['10.0.0.0', 'private'],
    ['10.255.255.255', 'private'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.254', 'shared (CGNAT)'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.1.1', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['192.0.2.10', 'documentation'],
    ['192.31.196.1', 'AS112'],
    ['192.52.193.1', 'AMT'],
    ['192.88.99.1', '6to4 relay anycast'],
    ['192.168.1.1', 'private'],
    ['192.175.48.1', 'AS112'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.254', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.170.2', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['168.63.129.16', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['64:ff9b:1::a00:1', 'NAT64 local-use'],
    ['100::1', 'discard-only'],
    ['100:0:0:1::1', 'dummy prefix'],
    ['2001::1', 'Teredo'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['2001:2::1', 'benchmarking'],
    ['2001:10::1', 'IETF protocol assignments'],
    ['2001:1ff::1', 'IETF protocol assignments'],
    ['2001:db8::1', 'documentation'],
    ['2002:808:808::1', '6to4'],
    ['2002:c0a8:101::1', '6to4'],
    ['2620:4f:8000::1', 'AS112'],
    ['3fff::1', 'documentation'],
    ['5f00::1', 'SRv6 SID'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['4000::1', 'reserved'],
    ['::ffff:0:808:808', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(kindOf(address)).toBe(kind);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'cloud metadata'],
    ['::ffff:10.1.2.3', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['::8.8.8.8', 'deprecated IPv4-compatible'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'cloud metadata'],
  ])('judges %s by the IPv4 address it carries (%s)', (address, kind) => {
    expect(kindOf(address)).toBe(kind);
  });

  it.each(['8.8.8.8', '93.184.216.34', '1.1.1.1', '100.63.255.255', '100.128.0.0', '172.15.255.255', '172.32.0.0', '192.169.0.1', '198.20.0.1', '223.255.255.255', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '2001:200::1', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    'public %s is no special address',
    (address) => {
      expect(kindOf(address)).toBeNull();
    },
  );
});

describe('host spellings', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['127.0.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0X7F.1', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['017700000001', '127.0.0.1'],
    ['127.0.0.1.', '127.0.0.1'],
    ['0', '0.0.0.0'],
    ['[::1]', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::ffff:127.0.0.1', '::ffff:7f00:1'],
    ['[::FFFF:7F00:1]', '::ffff:7f00:1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['[fe80::1%25eth0]', 'fe80::1'],
    ['LOCALHOST.', 'localhost'],
    ['Hooks.Example.COM', 'hooks.example.com'],
  ])('%s is %s', (raw, canonical) => {
    expect(normaliseHost(raw)?.text).toBe(canonical);
  });

  it('refuses what is neither address nor name', () => {
    expect(normaliseHost('')).toBeNull();
    expect(normaliseHost('a b')).toBeNull();
    expect(normaliseHost('exa$mple.com')).toBeNull();
    expect(normaliseHost(`${'a'.repeat(64)}.com`)).toBeNull();
    expect(parseIpv4('256.0.0.1')).toBeNull();
    expect(parseIpv4('4294967296')).toBeNull();
    expect(parseIpv4('1.2.3.4.5')).toBeNull();
    expect(parseIpv4('08.0.0.1')).toBeNull();
  });

  it('formats IPv6 the RFC 5952 way', () => {
    const format = (text: string) => formatIp(parseIp(text) as Uint8Array);
    expect(format('2001:0db8:0000:0000:0001:0000:0000:0001')).toBe('2001:db8::1:0:0:1');
    expect(format('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(format('::')).toBe('::');
  });
});

describe('AddressPolicy', () => {
  const strict = new AddressPolicy();

  // How an affiliate might write an internal target into a postback URL; WHATWG parsing plus ours must see through all of them.
  it.each([
    ['http://localhost/pb', 'localhost is a loopback name'],
    ['http://LocalHost.:8080/pb', 'localhost is a loopback name'],
    ['http://api.localhost/pb', 'api.localhost is a loopback name'],
    ['http://127.0.0.1:6379/', '127.0.0.1 is a loopback address'],
    ['http://127.1/', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://0x7f000001/', '127.0.0.1 is a loopback address'],
    ['http://0177.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://127.0.0.1./', '127.0.0.1 is a loopback address'],
    ['http://0/', '0.0.0.0 is an unspecified address'],
    ['http://[::1]:5432/', '::1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1 is a loopback address'],
    ['http://[::ffff:7f00:1]/', '::ffff:7f00:1 is a loopback address'],
    ['http://[0:0:0:0:0:ffff:a9fe:a9fe]/latest/meta-data', '::ffff:a9fe:a9fe is a cloud metadata address'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254 is a cloud metadata address'],
    ['http://[64:ff9b::a00:1]/', '64:ff9b::a00:1 is a private address'],
    ['http://[2001::1]/', '2001::1 is a Teredo address'],
    ['http://[2002:a00:1::]/', '2002:a00:1:: is a 6to4 address'],
    ['https://10.0.0.5/', '10.0.0.5 is a private address'],
    ['https://100.64.1.1/', '100.64.1.1 is a shared (CGNAT) address'],
    ['https://printer.local/', 'printer.local is a local-network name'],
    ['https://db.internal/', 'db.internal is a local-network name'],
    ['https://nas.home.arpa/', 'nas.home.arpa is a local-network name'],
  ])('refuses %s as written', (url, reason) => {
    expect(strict.hostRefusal(target(url))).toBe(reason);
  });

  it.each(['https://tracker.example.com/pb', 'http://8.8.8.8/pb', 'http://[2606:4700::1111]/', 'http://[64:ff9b::808:808]/', 'https://localhost.example.com/'])(
    'lets %s through (names are judged again once resolved)',
    (url) => {
      expect(strict.hostRefusal(target(url))).toBeNull();
    },
  );

  it('allows exactly the listed scheme, host and port', () => {
    const policy = new AddressPolicy(['http://127.0.0.1:8086', 'https://hooks.internal', ' ']);
    expect(policy.hostRefusal(target('http://127.0.0.1:8086/pb'))).toBeNull();
    expect(policy.hostRefusal(target('http://127.1:8086/pb'))).toBeNull();
    expect(policy.hostRefusal(target('http://[::ffff:127.0.0.1]:8086/pb'))).toBeNull();
    expect(policy.hostRefusal(target('http://127.0.0.1:8085/'))).toBe('127.0.0.1 is a loopback address');
    expect(policy.hostRefusal(target('http://127.0.0.1/'))).toBe('127.0.0.1 is a loopback address');
    expect(policy.hostRefusal(target('https://127.0.0.1:8086/'))).toBe('127.0.0.1 is a loopback address');
    expect(policy.hostRefusal(target('http://127.0.0.2:8086/'))).toBe('127.0.0.2 is a loopback address');
    expect(policy.hostRefusal(target('http://localhost:8086/'))).toBe('localhost is a loopback name');
    expect(policy.hostRefusal(target('https://HOOKS.internal./x'))).toBeNull();
    expect(policy.hostRefusal(target('https://hooks.internal:8443/x'))).toBe('hooks.internal is a local-network name');
    expect(policy.hostRefusal(target('http://hooks.internal/x'))).toBe('hooks.internal is a local-network name');
  });

  it('judges resolved addresses by the target they serve', () => {
    const policy = new AddressPolicy(['http://127.0.0.1:8086', 'http://[::1]:*']);
    const demo = target('http://receiver.example.com:8086/');
    expect(policy.addressRefusal(demo, '127.0.0.1')).toBeNull();
    expect(policy.addressRefusal(demo, '::ffff:127.0.0.1')).toBeNull();
    expect(policy.addressRefusal(demo, '127.0.0.2')).toBe('loopback');
    expect(policy.addressRefusal(target('http://receiver.example.com:6379/'), '127.0.0.1')).toBe('loopback');
    expect(policy.addressRefusal(target('http://any.example.com:6379/'), '::1')).toBeNull();
    expect(policy.addressRefusal(demo, '93.184.216.34')).toBeNull();
  });

  it('names an allow-list entry it cannot read', () => {
    for (const entry of ['127.0.0.1', '10.0.0.0/8', 'hooks.internal', 'ftp://127.0.0.1:21', 'http://127.0.0.1:0', 'http://127.0.0.1:70000', 'http://a:8086/path', 'http://user@a:1']) {
      expect(() => new AddressPolicy([entry])).toThrow(InvalidAllowListEntry);
    }
    expect(() => AddressPolicy.fromList('http://127.0.0.1:8086,127.0.0.1')).toThrow('"127.0.0.1" is not scheme://host:port, e.g. http://127.0.0.1:8086');
  });
});
