import { AddressPolicy, article, Target } from '@tracklane/address-policy';
import { lookup as dnsLookup, LookupAddress, LookupOptions, Resolver as DnsResolver } from 'node:dns';
import { isIPv6, LookupFunction } from 'node:net';

/** A target the policy forbids: never retried, logged as refused. */
export class TargetRefused extends Error {
  /**
   * @param reason what the affiliate may read: the host it typed and why, never the address a name resolved to
   * @param detail what the operator's log gets as well
   */
  constructor(
    readonly reason: string,
    readonly detail: string = reason,
  ) {
    super(`target refused: ${reason}`);
    this.name = 'TargetRefused';
  }
}

export type Resolver = (hostname: string, callback: (error: Error | null, addresses: LookupAddress[]) => void) => void;

/** The machine's resolver (getaddrinfo: /etc/hosts, then DNS), as the HTTP client would use it. */
export const systemResolver: Resolver = (hostname, callback) => dnsLookup(hostname, { all: true, verbatim: true }, callback);

/**
 * Asks the given DNS servers ("127.0.0.1:5353") directly for A and AAAA
 * records, bypassing /etc/hosts: for deployments that name their resolver.
 */
export function dnsServersResolver(servers: string[], timeoutMs = 5_000): Resolver {
  const dns = new DnsResolver({ timeout: timeoutMs, tries: 2 });
  dns.setServers(servers);
  const ask = (hostname: string, family: 4 | 6) =>
    new Promise<LookupAddress[]>((resolve, reject) => {
      const done = (error: NodeJS.ErrnoException | null, addresses: string[]) => {
        if (error && error.code !== 'ENODATA' && error.code !== 'ENOTFOUND') reject(error);
        else resolve((addresses ?? []).map((address) => ({ address, family })));
      };
      if (family === 4) dns.resolve4(hostname, done);
      else dns.resolve6(hostname, done);
    });
  return (hostname, callback) => {
    Promise.all([ask(hostname, 4), ask(hostname, 6)]).then(
      ([v4, v6]) => {
        const addresses = [...v4, ...v6];
        if (addresses.length > 0) callback(null, addresses);
        else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
      },
      (error: Error) => callback(error, []),
    );
  };
}

/**
 * The DNS lookup one request connects through: resolves the target's name,
 * checks every address it resolves to and refuses the lot if any is
 * forbidden. The socket then connects to an address checked here, so a name
 * cannot pass the check and be re-resolved to 127.0.0.1 for the connection
 * (DNS rebinding); each new connection resolves and checks again.
 */
export function guardedLookup(policy: AddressPolicy, target: Target, resolve: Resolver = systemResolver): LookupFunction {
  const listed = policy.allows(target);
  return (hostname: string, options: LookupOptions, callback) => {
    resolve(hostname, (error, addresses) => {
      if (error) return callback(error, '', 0);
      if (!listed) {
        for (const { address } of addresses) {
          const kind = policy.addressRefusal(target, address);
          if (kind) {
            return callback(
              new TargetRefused(`${hostname} resolves to an address that is not public`, `${hostname} resolves to ${address}, ${article(kind)} address`),
              '',
              0,
            );
          }
        }
      }
      const family = options.family === 4 || options.family === 6 ? options.family : null;
      const wanted = family ? addresses.filter((address) => address.family === family) : addresses;
      if (wanted.length === 0) {
        return callback(Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' }), '', 0);
      }
      if (options.all) return callback(null, wanted);
      callback(null, wanted[0].address, wanted[0].family ?? (isIPv6(wanted[0].address) ? 6 : 4));
    });
  };
}
