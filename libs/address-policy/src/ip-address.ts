import { isIPv6 } from 'node:net';

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address in network order. */
export type IpBytes = Uint8Array;

/**
 * An IPv4 address in every spelling a URL parser or the C resolver accepts
 * (inet_aton): "127.0.0.1", "127.1", "2130706433", "0x7f000001",
 * "0177.0.0.1", with or without a trailing dot. Null when the text is not one.
 */
export function parseIpv4(text: string): IpBytes | null {
  const parts = text.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 0 || parts.length > 4) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    const value = ipv4Number(part);
    if (value === null) return null;
    numbers.push(value);
  }
  const last = numbers.pop() as number;
  if (numbers.some((value) => value > 255) || last >= 256 ** (4 - numbers.length)) return null;
  const bytes = new Uint8Array(4);
  numbers.forEach((value, index) => (bytes[index] = value));
  for (let index = 3, rest = last; index >= numbers.length; index--, rest = Math.floor(rest / 256)) bytes[index] = rest % 256;
  return bytes;
}

function ipv4Number(part: string): number | null {
  if (/^0x[0-9a-f]*$/i.test(part)) return part.length === 2 ? 0 : parseInt(part.slice(2), 16);
  if (/^0[0-7]+$/.test(part)) return parseInt(part.slice(1), 8);
  if (/^(0|[1-9][0-9]*)$/.test(part)) return Number(part);
  return null;
}

/**
 * An IPv6 address, with or without brackets and zone id ("[fe80::1%eth0]",
 * "fe80::1%25eth0"), dotted tail included ("::ffff:127.0.0.1"). Null otherwise.
 */
export function parseIpv6(text: string): IpBytes | null {
  let address = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  address = address.replace(/%.*$/, '');
  if (!isIPv6(address)) return null;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    address = `${address.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = address.includes('::') ? address.split('::') : [address, null];
  const groups = (part: string) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = tail === null ? [] : groups(tail);
  const zeros = tail === null ? [] : Array(8 - left.length - right.length).fill('0');
  const bytes = new Uint8Array(16);
  [...left, ...zeros, ...right].forEach((group, index) => {
    const value = parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  });
  return bytes;
}

/** An address in any spelling above (IPv6 first: "::1" is no IPv4 spelling). */
export function parseIp(text: string): IpBytes | null {
  return parseIpv6(text) ?? parseIpv4(text);
}

/** The canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run compressed). */
export function formatIp(bytes: IpBytes): string {
  if (bytes.length === 4) return bytes.join('.');
  const groups = Array.from({ length: 8 }, (_, index) => (bytes[index * 2] << 8) | bytes[index * 2 + 1]);
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; ) {
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) [bestStart, bestLength] = [start, end - start];
    start = end === start ? start + 1 : end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export interface Cidr {
  network: IpBytes;
  prefix: number;
}

/** "10.0.0.0/8", "fc00::/7", or a single address (a /32 or /128); dotted quads only. */
export function parseCidr(text: string): Cidr | null {
  const [address, prefixText, extra] = text.split('/');
  if (extra !== undefined) return null;
  const network = parseIpv6(address) ?? (/^\d+\.\d+\.\d+\.\d+$/.test(address) ? parseIpv4(address) : null);
  if (!network) return null;
  const max = network.length * 8;
  if (prefixText === undefined) return { network, prefix: max };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return null;
  return { network, prefix: Number(prefixText) };
}

export function inCidr(address: IpBytes, cidr: Cidr): boolean {
  if (address.length !== cidr.network.length) return false;
  const whole = cidr.prefix >> 3;
  for (let index = 0; index < whole; index++) if (address[index] !== cidr.network[index]) return false;
  const rest = cidr.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (address[whole] & mask) === (cidr.network[whole] & mask);
}
