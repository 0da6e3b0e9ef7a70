import { firstCharacters, storableText } from '@tracklane/contracts';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { CountryDatabase } from './country-database';
import { botDetector, Device, deviceOf } from './user-agent';

/** Who clicked, as far as one request tells. */
export interface Visitor {
  ip: string;
  userAgent: string;
  referrer: string | null;
  /** ISO 3166-1 alpha-2: the trusted edge's country header, else the offline GeoIP database's answer for `ip`. */
  country: string | null;
  device: Device | null;
  bot: boolean;
}

export interface VisitorOptions {
  /**
   * Header in which a trusted edge (CDN, load balancer) puts the visitor's
   * country, e.g. cf-ipcountry. Null: country unknown.
   */
  countryHeader: string | null;
  /**
   * Header in which a trusted edge puts the visitor's address (e.g.
   * cf-connecting-ip, x-forwarded-for). Null: the TCP peer is the visitor.
   */
  clientIpHeader: string | null;
  /** User-agent fragments to flag as bots beyond the built-in list. */
  extraBotPatterns: readonly string[];
  /**
   * The offline country database (country-database.ts) for visitors whose edge names no country; null
   * when there is none.
   */
  countries: CountryDatabase | null;
}

/**
 * The contract's bounds (clicks.v1), in characters; browsers may send longer
 * headers, which are cut, not refused, and bytes no store could hold, which
 * are made storable (storableText), not refused.
 */
const MAX_USER_AGENT = 1024;
const MAX_REFERRER = 2048;
const COUNTRY = /^[A-Za-z]{2}$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export class VisitorReader {
  private readonly countryHeader: string | null;
  private readonly clientIpHeader: string | null;
  private readonly isBot: (userAgent: string) => boolean;
  private readonly countries: CountryDatabase | null;

  constructor(options: VisitorOptions) {
    this.countryHeader = options.countryHeader?.toLowerCase() || null;
    this.clientIpHeader = options.clientIpHeader?.toLowerCase() || null;
    this.isBot = botDetector(options.extraBotPatterns);
    this.countries = options.countries;
  }

  read(headers: IncomingHttpHeaders, peerAddress: string | undefined): Visitor {
    const userAgent = firstCharacters(storableText(header(headers, 'user-agent') ?? ''), MAX_USER_AGENT);
    const referrer = firstCharacters(storableText(header(headers, 'referer') ?? ''), MAX_REFERRER);
    const ip = this.ipOf(headers, peerAddress);
    return {
      ip,
      userAgent,
      referrer: referrer || null,
      // The edge's answer first: its database is its own, and as current as its vendor keeps it.
      country: this.edgeCountryOf(headers) ?? this.countries?.country(ip) ?? null,
      device: deviceOf(userAgent),
      bot: this.isBot(userAgent),
    };
  }

  private edgeCountryOf(headers: IncomingHttpHeaders): string | null {
    if (!this.countryHeader) return null;
    const value = header(headers, this.countryHeader);
    // XX is the edge's "unknown"; codes with digits (T1 = Tor) are not countries.
    if (!value || !COUNTRY.test(value)) return null;
    const country = value.toUpperCase();
    return country === 'XX' ? null : country;
  }

  private ipOf(headers: IncomingHttpHeaders, peerAddress: string | undefined): string {
    const peer = peerAddress ?? '';
    if (!this.clientIpHeader) return peer;
    const value = header(headers, this.clientIpHeader);
    if (!value) return peer;
    // In a list (x-forwarded-for), the last entry is the one our own edge appended.
    const comma = value.lastIndexOf(',');
    const candidate = (comma === -1 ? value : value.slice(comma + 1)).trim();
    return isIP(candidate) ? candidate : peer;
  }
}
