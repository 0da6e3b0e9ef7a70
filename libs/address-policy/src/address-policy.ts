import { Host, normaliseHost, specialUseName } from './host';
import { formatIp, IpBytes, parseIp } from './ip-address';
import { mappedIpv4, specialKind } from './special-ranges';

/** Where a request goes: scheme, host in its one spelling, port. */
export interface Target {
  scheme: 'http' | 'https';
  host: Host;
  port: number;
}

/** The target of an http(s) URL (WHATWG-parsed, so 127.1 is already 127.0.0.1), or null for anything else. */
export function targetOf(url: string | URL): Target | null {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  const host = normaliseHost(parsed.hostname);
  if (!host) return null;
  const scheme = parsed.protocol === 'https:' ? 'https' : 'http';
  return { scheme, host, port: parsed.port ? Number(parsed.port) : scheme === 'https' ? 443 : 80 };
}

export class InvalidAllowListEntry extends Error {}

/** The entries of a comma-separated allow-list (an environment variable's value). */
export function allowedTargetList(list: string): string[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

interface AllowedTarget {
  scheme: 'http' | 'https';
  host: string;
  /** null: any port, for test harnesses whose receivers take whatever port is free. */
  port: number | null;
}

const ENTRY = /^(https?):\/\/(\[[^\]]+\]|[^/:[\]]+)(?::(\d{1,5}|\*))?\/?$/i;

/** The same socket destination, whichever way an address is written: ::ffff:127.0.0.1 is 127.0.0.1. */
function addressKey(bytes: IpBytes): string {
  return formatIp(mappedIpv4(bytes) ?? bytes);
}

/** "a loopback", "an unspecified": refusals are read by people. */
export function article(kind: string): string {
  return `${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind}`;
}

function hostKey(host: Host): string {
  return host.kind === 'address' ? addressKey(host.bytes) : host.text;
}

/**
 * Which targets outbound requests whose URLs partners type (affiliates'
 * postback URLs) may reach. Everything public may be reached; an address in
 * any IANA special-purpose range (loopback, private, CGNAT, link-local,
 * metadata, documentation, Teredo, 6to4, …) or a local-only name
 * (localhost, *.internal, …) only when the operator lists exactly that
 * scheme, host and port, e.g. "http://127.0.0.1:8086" for the demo's
 * receiver: listing a host must not open every other service on it.
 *
 * Used twice: when a URL is saved (its host as written) and when a request
 * is sent (every address its name resolves to, at connect time).
 */
export class AddressPolicy {
  private readonly allowed: AllowedTarget[] = [];

  /** Entries: "scheme://host:port" (the port may be omitted for 80/443, or "*" for any). */
  constructor(entries: readonly string[] = []) {
    for (const raw of entries) {
      const entry = raw.trim();
      if (entry === '') continue;
      const match = ENTRY.exec(entry);
      const host = match && normaliseHost(match[2]);
      const port = match?.[3] === undefined ? null : match[3] === '*' ? '*' : Number(match[3]);
      if (!match || !host || (typeof port === 'number' && (port < 1 || port > 65_535))) {
        throw new InvalidAllowListEntry(`"${raw}" is not scheme://host:port, e.g. http://127.0.0.1:8086`);
      }
      const scheme = match[1].toLowerCase() as 'http' | 'https';
      const defaultPort = scheme === 'https' ? 443 : 80;
      this.allowed.push({ scheme, host: hostKey(host), port: port === '*' ? null : (port ?? defaultPort) });
    }
  }

  /** A comma-separated list, as the environment gives it. */
  static fromList(list: string): AddressPolicy {
    return new AddressPolicy(allowedTargetList(list));
  }

  /** Whether the operator listed this target; a listed name may resolve to anything. */
  allows(target: Target): boolean {
    return this.listed(target.scheme, hostKey(target.host), target.port);
  }

  /**
   * Why a URL's host, as written, may not be reached: an address in a special
   * range, or a local-only name. Null when it may, or when only resolving the
   * name can tell (which happens at send time, see addressRefusal).
   */
  hostRefusal(target: Target): string | null {
    if (this.allows(target)) return null;
    if (target.host.kind === 'address') {
      const kind = specialKind(target.host.bytes);
      return kind && `${target.host.text} is ${article(kind)} address`;
    }
    const kind = specialUseName(target.host.text);
    return kind && `${target.host.text} is ${article(kind)} name`;
  }

  /**
   * The kind of special address a target's name resolved to, when the
   * connection may not go there; null when it may (public, or this scheme,
   * address and port listed).
   */
  addressRefusal(target: Target, address: string): string | null {
    const bytes = parseIp(address);
    if (!bytes) return 'unreadable';
    if (this.listed(target.scheme, addressKey(bytes), target.port)) return null;
    return specialKind(bytes);
  }

  private listed(scheme: string, host: string, port: number): boolean {
    return this.allowed.some((entry) => entry.scheme === scheme && entry.host === host && (entry.port === null || entry.port === port));
  }
}
