import type { NetworkSettings } from '@tracklane/catalog';
import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import { browserOf, Device, operatingSystemOf } from './user-agent';

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
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return truncatedIp(mapped[1]);
  const version = isIP(ip);
  if (version === 4) return `${ip.slice(0, ip.lastIndexOf('.'))}.0`;
  if (version !== 6) return '';
  const [head, tail] = ip.toLowerCase().split('::');
  const groups = head === '' ? [] : head.split(':');
  if (tail !== undefined && groups.length < 3) {
    const tailGroups = tail === '' ? [] : tail.split(':');
    const zeros = 8 - groups.length - tailGroups.length;
    groups.push(...Array.from({ length: zeros }, () => '0'), ...tailGroups);
  }
  return `${groups.slice(0, 3).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::`;
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

const MAJOR_VERSION: Record<string, RegExp> = {
  edge: /\bEdg(?:e|A|iOS)?\/(\d+)/,
  opera: /\b(?:OPR|OPT)\/(\d+)/,
  samsung: /SamsungBrowser\/(\d+)/,
  firefox: /\b(?:Firefox|FxiOS)\/(\d+)/,
  chrome: /\b(?:Chrome|CriOS)\/(\d+)/,
  safari: /\bVersion\/(\d+)/,
};

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
  const major = MAJOR_VERSION[browser].exec(userAgent)?.[1] ?? '?';
  return `${browser}/${major} ${operatingSystemOf(userAgent) ?? 'other'} ${device ?? 'unknown'}`;
}

export function storedUserAgent(userAgent: string, device: Device | null, storage: UserAgentStorage): string {
  return storage === 'normalised' ? normalisedUserAgent(userAgent, device) : userAgent;
}
