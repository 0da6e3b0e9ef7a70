import { Cidr, embeddedIpv4, inCidr, IpBytes, parseCidr, parseIp } from './ip-address';

type AddressKind = 'cloud metadata' | 'loopback' | 'private' | 'link-local' | 'reserved';

// Most specific first: the metadata endpoints sit inside the link-local and private ranges.
const FORBIDDEN: ReadonlyArray<readonly [string, AddressKind]> = [
  ['169.254.169.254', 'cloud metadata'],
  ['169.254.170.2', 'cloud metadata'],
  ['100.100.100.200', 'cloud metadata'],
  ['fd00:ec2::254', 'cloud metadata'],
  ['127.0.0.0/8', 'loopback'],
  ['::1/128', 'loopback'],
  ['10.0.0.0/8', 'private'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['100.64.0.0/10', 'private'],
  ['fc00::/7', 'private'],
  ['169.254.0.0/16', 'link-local'],
  ['fe80::/10', 'link-local'],
  ['0.0.0.0/8', 'reserved'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'reserved'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['224.0.0.0/4', 'reserved'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'reserved'],
  ['100::/64', 'reserved'],
  ['2001:db8::/32', 'reserved'],
  ['ff00::/8', 'reserved'],
];

const FORBIDDEN_RANGES = FORBIDDEN.map(([cidr, kind]) => ({ cidr: parseCidr(cidr) as Cidr, kind }));

export class InvalidAllowListEntry extends Error {}

/**
 * Which addresses outbound postbacks may reach. Affiliates type their own
 * URLs, so without this a URL (or a DNS name pointing) at 127.0.0.1, the
 * office network or 169.254.169.254 would let anyone with a postback URL
 * probe our infrastructure. Everything public is allowed; loopback, private,
 * link-local, metadata and reserved addresses only when the operator lists
 * the host name, the address or a CIDR range containing it.
 */
export class TargetPolicy {
  private readonly hosts = new Set<string>();
  private readonly ranges: Cidr[] = [];

  /** Entries: host names, addresses or CIDR ranges, e.g. ["127.0.0.1", "10.1.0.0/16", "hooks.internal"]. */
  constructor(allowed: readonly string[] = []) {
    for (const raw of allowed) {
      const entry = raw.trim().toLowerCase();
      if (entry === '') continue;
      const cidr = parseCidr(entry);
      if (cidr) this.ranges.push(cidr);
      else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/.test(entry)) {
        this.hosts.add(entry.replace(/\.$/, ''));
      } else throw new InvalidAllowListEntry(`"${raw}" is neither a host name, an IP address nor a CIDR range`);
    }
  }

  /** A listed host name may resolve to anything. */
  allowsHost(hostname: string): boolean {
    return this.hosts.has(hostname.toLowerCase().replace(/\.$/, ''));
  }

  /** Why an address may not be reached, or null when it may. */
  refusal(address: string): string | null {
    const bytes = parseIp(address);
    if (!bytes) return `${address} is not an IP address`;
    if (this.ranges.some((range) => inCidr(bytes, range))) return null;
    const kind = forbiddenKind(bytes);
    if (!kind) return null;
    const embedded = embeddedIpv4(bytes);
    if (embedded && this.ranges.some((range) => inCidr(embedded, range))) return null;
    return `${address} is a ${kind} address`;
  }
}

function forbiddenKind(bytes: IpBytes): AddressKind | null {
  for (const { cidr, kind } of FORBIDDEN_RANGES) if (inCidr(bytes, cidr)) return kind;
  const embedded = embeddedIpv4(bytes);
  return embedded ? forbiddenKind(embedded) : null;
}
