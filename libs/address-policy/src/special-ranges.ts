import { Cidr, inCidr, IpBytes, parseCidr } from './ip-address';

/**
 * The IANA IPv4 and IPv6 special-purpose address registries (as of 2026),
 * plus multicast and the reserved blocks, and the cloud metadata endpoints
 * that sit inside them or in public space. None of these is where an
 * affiliate's postback receiver lives on the internet; most are where our
 * own infrastructure does. Most specific first: the first match names the kind.
 *
 * Three IPv6 ranges carry an IPv4 address and are judged by it instead
 * (see embeddedIpv4): IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96 and
 * the NAT64 well-known prefix 64:ff9b::/96.
 */
const SPECIAL_RANGES: ReadonlyArray<readonly [cidr: string, kind: string]> = [
  // Metadata services: credentials of the machine we run on.
  ['169.254.169.254', 'cloud metadata'],
  ['169.254.170.2', 'cloud metadata'],
  ['169.254.170.23', 'cloud metadata'],
  ['100.100.100.200', 'cloud metadata'],
  ['168.63.129.16', 'cloud metadata'],
  ['fd00:ec2::254', 'cloud metadata'],
  ['fd00:ec2::23', 'cloud metadata'],
  // IPv4 (RFC 6890 and successors).
  ['0.0.0.0/32', 'unspecified'],
  ['0.0.0.0/8', '"this network"'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared (CGNAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'documentation'],
  ['192.31.196.0/24', 'AS112'],
  ['192.52.193.0/24', 'AMT'],
  ['192.88.99.0/24', '6to4 relay anycast'],
  ['192.168.0.0/16', 'private'],
  ['192.175.48.0/24', 'AS112'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
  // IPv6 (RFC 6890 and successors).
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['64:ff9b:1::/48', 'NAT64 local-use'],
  ['100::/64', 'discard-only'],
  ['100:0:0:1::/64', 'dummy prefix'],
  ['2001::/32', 'Teredo'],
  ['2001:2::/48', 'benchmarking'],
  ['2001::/23', 'IETF protocol assignments'],
  ['2001:db8::/32', 'documentation'],
  ['2002::/16', '6to4'],
  ['2620:4f:8000::/48', 'AS112'],
  ['3fff::/20', 'documentation'],
  ['5f00::/16', 'SRv6 SID'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
];

const RANGES = SPECIAL_RANGES.map(([cidr, kind]) => {
  const parsed = parseCidr(cidr);
  if (!parsed) throw new Error(`special range ${cidr} does not parse`);
  return { cidr: parsed, kind };
});

const range = (text: string) => parseCidr(text) as Cidr;
const IPV4_MAPPED = range('::ffff:0:0/96');
const IPV4_COMPATIBLE = range('::/96');
const NAT64 = range('64:ff9b::/96');
/** Everything of IPv6 that is not 2000::/3 is unassigned or special. */
const GLOBAL_UNICAST = range('2000::/3');

/** The IPv4 address of an IPv4-mapped IPv6 address (::ffff:a.b.c.d): the same socket destination. */
export function mappedIpv4(address: IpBytes): IpBytes | null {
  return address.length === 16 && inCidr(address, IPV4_MAPPED) ? address.slice(12) : null;
}

/** The IPv4 address an IPv6 address carries and routes to, so ::ffff:127.0.0.1 is judged as 127.0.0.1. */
export function embeddedIpv4(address: IpBytes): IpBytes | null {
  if (address.length !== 16) return null;
  if (inCidr(address, IPV4_MAPPED) || inCidr(address, IPV4_COMPATIBLE) || inCidr(address, NAT64)) return address.slice(12);
  return null;
}

/**
 * What kind of special-purpose address this is ("loopback", "private",
 * "Teredo", …), or null for an ordinary public unicast address.
 */
export function specialKind(address: IpBytes): string | null {
  for (const { cidr, kind } of RANGES) if (inCidr(address, cidr)) return kind;
  const embedded = embeddedIpv4(address);
  if (embedded) {
    const kind = specialKind(embedded);
    if (kind) return kind;
    // ::a.b.c.d was deprecated in 2006 (RFC 4291): nothing sends to it on purpose.
    return inCidr(address, IPV4_COMPATIBLE) ? 'deprecated IPv4-compatible' : null;
  }
  if (address.length === 16 && !inCidr(address, GLOBAL_UNICAST)) return 'reserved';
  return null;
}
