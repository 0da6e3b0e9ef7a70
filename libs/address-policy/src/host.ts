import { formatIp, IpBytes, parseIpv4, parseIpv6 } from './ip-address';

/** A host as it will be reached: an address, or a name still to be resolved. */
export type Host = { kind: 'address'; bytes: IpBytes; text: string } | { kind: 'name'; text: string };

const LABEL = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/;

/**
 * One spelling per host, so a check cannot be walked around by writing the
 * same host differently: lower case, brackets, zone id and trailing dot
 * dropped, and every IPv4 spelling (127.1, 2130706433, 0x7f000001,
 * 0177.0.0.1) and IPv6 spelling (::ffff:127.0.0.1, ::ffff:7f00:1) turned into
 * its canonical address text. Null when the text is neither address nor name.
 */
export function normaliseHost(raw: string): Host | null {
  const text = raw.trim().toLowerCase();
  const ipv6 = parseIpv6(text.replace(/%25/, '%'));
  if (ipv6) return address(ipv6);
  const name = text.replace(/\.$/, '');
  if (name === '' || name.length > 253) return null;
  const ipv4 = parseIpv4(name);
  if (ipv4) return address(ipv4);
  if (!name.split('.').every((label) => label.length <= 63 && LABEL.test(label))) return null;
  return { kind: 'name', text: name };
}

function address(bytes: IpBytes): Host {
  return { kind: 'address', bytes, text: formatIp(bytes) };
}

/**
 * Names that never mean a host on the internet (RFC 6761, RFC 6762,
 * RFC 8375, ICANN's .internal): they resolve to us, to the local network, or
 * to nothing. Judged as written, before any resolver is asked.
 */
export function specialUseName(name: string): string | null {
  if (name === 'localhost' || name.endsWith('.localhost') || name === 'localhost.localdomain') return 'loopback';
  if (/(^|\.)(local|internal|home\.arpa|localdomain|lan|home|intranet|corp)$/.test(name)) return 'local-network';
  return null;
}
