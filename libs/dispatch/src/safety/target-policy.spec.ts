import { LookupAddress } from 'node:dns';
import { guardedLookup, Resolver, TargetRefused } from './guarded-lookup';
import { embeddedIpv4, inCidr, parseCidr, parseIp } from './ip-address';
import { InvalidAllowListEntry, TargetPolicy } from './target-policy';

/** Parses an address the test knows to be valid. */
function ip(text: string) {
  const bytes = parseIp(text);
  if (!bytes) throw new Error(`${text} did not parse`);
  return bytes;
}

describe('IP addresses', () => {
  it('parse IPv4 and every IPv6 spelling', () => {
    expect([...(parseIp('10.1.2.3') ?? [])]).toEqual([10, 1, 2, 3]);
    expect([...(parseIp('::1') ?? [])]).toEqual([...Array(15).fill(0), 1]);
    expect([...(parseIp('[fe80::1%eth0]') ?? [])].slice(0, 2)).toEqual([0xfe, 0x80]);
    expect([...(parseIp('::ffff:127.0.0.1') ?? [])].slice(10)).toEqual([0xff, 0xff, 127, 0, 0, 1]);
    expect(parseIp('example.com')).toBeNull();
    expect(parseIp('1.2.3.256')).toBeNull();
  });

  it('match CIDR ranges at any prefix length', () => {
    const range = parseCidr('172.16.0.0/12');
    expect(range && inCidr(ip('172.31.255.255'), range)).toBe(true);
    expect(range && inCidr(ip('172.32.0.0'), range)).toBe(false);
    expect(range && inCidr(ip('::ffff:172.16.0.1'), range)).toBe(false);
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr('10.0.0.0/8/1')).toBeNull();
  });

  it('find the IPv4 address inside mapped, NAT64 and 6to4 addresses', () => {
    expect([...(embeddedIpv4(ip('::ffff:7f00:1')) ?? [])]).toEqual([127, 0, 0, 1]);
    expect([...(embeddedIpv4(ip('64:ff9b::a9fe:a9fe')) ?? [])]).toEqual([169, 254, 169, 254]);
    expect([...(embeddedIpv4(ip('2002:0a00:0001::1')) ?? [])]).toEqual([10, 0, 0, 1]);
    expect(embeddedIpv4(ip('2606:4700::1111'))).toBeNull();
  });
});

describe('TargetPolicy', () => {
  const strict = new TargetPolicy();

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.20.30.40', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['0.0.0.0', 'reserved'],
    ['::', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'cloud metadata'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:c0a8:0101::1', 'private'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(strict.refusal(address)).toBe(`${address} is a ${kind} address`);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8', '172.32.0.1'])('allows public %s', (address) => {
    expect(strict.refusal(address)).toBeNull();
  });

  it('allows listed addresses, ranges and host names, and nothing next to them', () => {
    const policy = new TargetPolicy(['127.0.0.1', '10.1.0.0/16', 'Hooks.Internal.', ' ']);
    expect(policy.refusal('127.0.0.1')).toBeNull();
    expect(policy.refusal('::ffff:127.0.0.1')).toBeNull();
    expect(policy.refusal('127.0.0.2')).toBe('127.0.0.2 is a loopback address');
    expect(policy.refusal('10.1.200.3')).toBeNull();
    expect(policy.refusal('10.2.0.1')).toBe('10.2.0.1 is a private address');
    expect(policy.allowsHost('hooks.internal')).toBe(true);
    expect(policy.allowsHost('evil.hooks.internal')).toBe(false);
  });

  it('names an allow-list entry it cannot read', () => {
    expect(() => new TargetPolicy(['10.0.0.0/40'])).toThrow(InvalidAllowListEntry);
    expect(() => new TargetPolicy(['http://x'])).toThrow('"http://x" is neither a host name, an IP address nor a CIDR range');
  });
});

describe('guardedLookup', () => {
  const resolving =
    (answers: Record<string, string[]>): Resolver =>
    (hostname, callback) => {
      const addresses = answers[hostname];
      if (!addresses) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
    };
  const lookup = (policy: TargetPolicy, answers: Record<string, string[]>, hostname: string, all = true) =>
    new Promise<{ error: Error | null; result: unknown }>((resolve) =>
      guardedLookup(policy, resolving(answers))(hostname, { all }, (error, result) => resolve({ error, result })),
    );

  it('refuses a name when any one of its addresses is forbidden', async () => {
    const { error } = await lookup(new TargetPolicy(), { 'aff.example': ['93.184.216.34', '10.0.0.5'] }, 'aff.example');
    expect(error).toBeInstanceOf(TargetRefused);
    expect(error?.message).toBe('target refused: aff.example resolves to 10.0.0.5 is a private address');
  });

  it('refuses a name that points at the metadata service', async () => {
    const { error } = await lookup(new TargetPolicy(), { 'rebind.example': ['169.254.169.254'] }, 'rebind.example');
    expect(error?.message).toContain('cloud metadata');
  });

  it('passes public addresses on, in the shape the socket asked for', async () => {
    const answers = { 'aff.example': ['93.184.216.34', '2606:2800:220:1::1'] };
    expect((await lookup(new TargetPolicy(), answers, 'aff.example')).result).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ]);
    const single = await new Promise((resolve) =>
      guardedLookup(new TargetPolicy(), resolving(answers))('aff.example', { family: 6 }, (_error, address, family) =>
        resolve([address, family]),
      ),
    );
    expect(single).toEqual(['2606:2800:220:1::1', 6]);
  });

  it('lets a listed host name resolve anywhere', async () => {
    const { error, result } = await lookup(new TargetPolicy(['hooks.internal']), { 'hooks.internal': ['10.0.0.9'] }, 'hooks.internal');
    expect(error).toBeNull();
    expect(result).toEqual([{ address: '10.0.0.9', family: 4 }]);
  });

  it('passes resolution errors through (they are retried, not refused)', async () => {
    const { error } = await lookup(new TargetPolicy(), {}, 'gone.example');
    expect(error).not.toBeInstanceOf(TargetRefused);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOTFOUND');
  });
});
