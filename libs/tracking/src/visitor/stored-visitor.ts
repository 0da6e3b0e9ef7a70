import { formatIp, parseIp } from '@tracklane/address-policy';
import type { NetworkSettings } from '@tracklane/catalog';
import { createHmac } from 'node:crypto';
import { browserOf, Device, majorVersionOf, operatingSystemOf } from './user-agent';

/**
 * What of a visitor leaves click-ingest with a click, by the network's
 * privacy settings. Uniqueness, rate limits and bot flags are decided on
 * the visitor as it came, in memory, before this; Kafka, the clicks table
 * and the reports only ever see what this returns.
 */
export type IpStorage = NetworkSettings['visitorIpStorage'];
export type UserAgentStorage = NetworkSettings['userAgentStorage'];

/** IPv4 to its /24 ("203.0.113.0"), IPv6 to its /48 ("2001:db8:abcd::"); an IPv4-mapped IPv6 address as IPv4. */
export function truncatedIp(ip: string): string {
  const bytes = parseIp(ip);
  if (bytes === null) return '';
  const mapped = bytes.length === 16 && bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  const address = mapped ? bytes.slice(12) : bytes;
  address.fill(0, address.length === 4 ? 3 : 6);
  return formatIp(address);
}

/** A keyed hash: the same IP gives the same value in every instance, and nobody without the key can reverse it by trying addresses. */
export function hashedIp(ip: string, secret: string): string {
  return `h:${createHmac('sha256', secret).update(ip).digest('base64url').slice(0, 27)}`;
}

export function storedIp(ip: string, storage: IpStorage, secret: string): string {
  if (storage === 'truncated') return truncatedIp(ip);
  if (storage === 'hashed') return hashedIp(ip, secret);
  return ip;
}

/** The first product token that is not the customary "Mozilla/5.0": "Googlebot/2.1", "curl/8.5.0". */
const PRODUCT = /(?:^|[\s(;])(?!Mozilla\/)([A-Za-z][\w.-]{0,30}\/[\w.]{1,12})/;

/**
 * A user agent reduced to what reports and fraud review use: browser and
 * major version, system and device ("chrome/131 android mobile"); one that
 * names no known browser keeps only its first product token
 * ("Googlebot/2.1", "curl/8.5.0"), or "other".
 */
export function normalisedUserAgent(userAgent: string, device: Device | null): string {
  if (userAgent === '') return '';
  const browser = browserOf(userAgent);
  if (browser === null) return PRODUCT.exec(userAgent)?.[1] ?? 'other';
  const major = majorVersionOf(userAgent, browser) ?? '?';
  return `${browser}/${major} ${operatingSystemOf(userAgent) ?? 'other'} ${device ?? 'unknown'}`;
}

export function storedUserAgent(userAgent: string, device: Device | null, storage: UserAgentStorage): string {
  return storage === 'normalised' ? normalisedUserAgent(userAgent, device) : userAgent;
}
