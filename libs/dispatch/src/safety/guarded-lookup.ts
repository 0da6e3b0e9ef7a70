import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { LookupFunction } from 'node:net';
import { TargetPolicy } from './target-policy';

/** A target the policy forbids: never retried, logged as refused. */
export class TargetRefused extends Error {
  constructor(reason: string) {
    super(`target refused: ${reason}`);
    this.name = 'TargetRefused';
  }
}

export type Resolver = (hostname: string, callback: (error: Error | null, addresses: LookupAddress[]) => void) => void;

const systemResolver: Resolver = (hostname, callback) => dnsLookup(hostname, { all: true, verbatim: true }, callback);

/**
 * The DNS lookup the HTTP client connects through: resolves the name, checks
 * every address it resolves to and refuses the lot if any is forbidden. The
 * socket then connects to an address checked here, so a name cannot pass the
 * check and be re-resolved to 127.0.0.1 for the connection (DNS rebinding).
 */
export function guardedLookup(policy: TargetPolicy, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolve(hostname, (error, addresses) => {
      if (error) return callback(error, '', 0);
      if (!policy.allowsHost(hostname)) {
        for (const { address } of addresses) {
          const refusal = policy.refusal(address);
          if (refusal) return callback(new TargetRefused(`${hostname} resolves to ${refusal}`), '', 0);
        }
      }
      const family = options.family === 4 || options.family === 6 ? options.family : null;
      const wanted = family ? addresses.filter((address) => address.family === family) : addresses;
      if (wanted.length === 0) {
        return callback(Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' }), '', 0);
      }
      if (options.all) return callback(null, wanted);
      callback(null, wanted[0].address, wanted[0].family);
    });
  };
}
