import { BlockList, isIP } from 'node:net';

/** An IPv4 client seen on a dual-stack socket arrives as ::ffff:a.b.c.d. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * Addresses and CIDR ranges (IPv4 and IPv6) that requests may come from.
 * An empty list allows every address. Entries that cannot be parsed are
 * reported and otherwise ignored, so a list with a typo still refuses
 * everything it does not positively allow.
 */
export class IpAllowlist {
  private constructor(
    private readonly list: BlockList | null,
    readonly invalidEntries: readonly string[],
  ) {}

  static of(entries: readonly string[]): IpAllowlist {
    if (entries.length === 0) return new IpAllowlist(null, []);
    const list = new BlockList();
    const invalid: string[] = [];
    for (const entry of entries) {
      const [network, bits, extra] = entry.trim().split('/');
      const family = isIP(network);
      const prefix = Number(bits);
      if (family === 0 || extra !== undefined) {
        invalid.push(entry);
      } else if (bits === undefined) {
        list.addAddress(network, family === 4 ? 'ipv4' : 'ipv6');
      } else if (/^\d{1,3}$/.test(bits) && prefix <= (family === 4 ? 32 : 128)) {
        list.addSubnet(network, prefix, family === 4 ? 'ipv4' : 'ipv6');
      } else {
        invalid.push(entry);
      }
    }
    return new IpAllowlist(list, invalid);
  }

  allows(address: string): boolean {
    if (this.list === null) return true;
    const plain = plainAddress(address);
    const family = isIP(plain);
    return family !== 0 && this.list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }
}
