import { IpAllowlist, plainAddress } from '../auth/ip-allowlist';

/**
 * The address a postback came from. Behind a load balancer the socket shows
 * the balancer, so X-Forwarded-For is read — but only when the socket peer
 * is one of the configured trusted proxies, and only up to the first address
 * (from the right) that is not a trusted proxy: everything left of it could
 * have been written by the client itself.
 */
export class ClientAddresses {
  private readonly proxies: IpAllowlist | null;

  constructor(trustedProxies: readonly string[]) {
    if (trustedProxies.length === 0) {
      this.proxies = null;
      return;
    }
    this.proxies = IpAllowlist.of(trustedProxies);
    if (this.proxies.invalidEntries.length > 0) {
      throw new Error(`trusted proxies: not an address or CIDR range: ${this.proxies.invalidEntries.join(', ')}`);
    }
  }

  of(socketAddress: string | undefined, forwardedFor: string | string[] | undefined): string {
    const peer = plainAddress(socketAddress ?? '');
    if (this.proxies === null || forwardedFor === undefined || !this.proxies.allows(peer)) return peer;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((hop) => hop.trim());
    for (let index = hops.length - 1; index >= 0; index--) {
      const hop = plainAddress(hops[index]);
      if (!this.proxies.allows(hop) || index === 0) return hop;
    }
    return peer;
  }
}
