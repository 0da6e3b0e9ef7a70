import { isIPv4, isIPv6 } from 'node:net';

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address in network order. */
export type IpBytes = Uint8Array;

export function parseIp(text: string): IpBytes | null {
  const address = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIPv4(address)) return Uint8Array.from(address.split('.').map(Number));
  if (isIPv6(address)) return parseIpv6(address.replace(/%.*$/, ''));
  return null;
}

function parseIpv6(address: string): IpBytes {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
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

export interface Cidr {
  network: IpBytes;
  prefix: number;
}

/** "10.0.0.0/8", "fc00::/7", or a single address (a /32 or /128). */
export function parseCidr(text: string): Cidr | null {
  const [address, prefixText, extra] = text.split('/');
  if (extra !== undefined) return null;
  const network = parseIp(address);
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

/**
 * The IPv4 address an IPv6 address carries and routes to (IPv4-mapped,
 * IPv4-compatible, NAT64 and 6to4), so ::ffff:127.0.0.1 is judged as 127.0.0.1.
 */
export function embeddedIpv4(address: IpBytes): IpBytes | null {
  if (address.length !== 16) return null;
  const zeroUpTo = (end: number) => address.subarray(0, end).every((byte) => byte === 0);
  if (zeroUpTo(10) && address[10] === 0xff && address[11] === 0xff) return address.slice(12);
  if (zeroUpTo(12)) return address.slice(12);
  const nat64 = [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];
  if (nat64.every((byte, index) => address[index] === byte)) return address.slice(12);
  if (address[0] === 0x20 && address[1] === 0x02) return address.slice(2, 6);
  return null;
}
