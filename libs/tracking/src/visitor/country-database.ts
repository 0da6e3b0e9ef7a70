import { existsSync, readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { join } from 'node:path';

/**
 * The country index of the legacy GeoIP country format, in file order (a leaf of the tree is
 * COUNTRY_BEGIN + index). Codes that name no country (-- unknown, AP and EU regions, A1 anonymous proxy,
 * A2 satellite, O1 other) are null: a click from them has no country.
 */
const CODES = (
  '-- AP EU AD AE AF AG AI AL AM CW AO AQ AR AS AT AU AW AZ BA BB BD BE BF BG BH BI BJ BM BN BO BR BS BT BV BW BY ' +
  'BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO ' +
  'FR SX GA GB GD GE GF GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IN IO IQ IR IS IT JM JO ' +
  'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD MG MH MK ML MM MN MO MP MQ MR MS ' +
  'MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO ' +
  'RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR ST SV SY SZ TC TD TF TG TH TJ TK TM TN TO TL TR TT TV TW TZ ' +
  'UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT RS ZA ZM ME ZW A1 A2 O1 AX GG IM JE BL MF BQ SS O1'
)
  .split(' ')
  .map((code) => (/^(--|AP|EU|A1|A2|O1)$/.test(code) ? null : code));

const COUNTRY_BEGIN = 16_776_960;
const RECORD_BYTES = 3;
const EDITION = { country: 1, countryV6: 12 } as const;

/** The files of Debian's geoip-database package (IPv4 and IPv6), looked for in a directory. */
export const GEOIP_FILES = { v4: 'GeoIP.dat', v6: 'GeoIPv6.dat' } as const;

export class BadCountryDatabase extends Error {}

/**
 * One legacy GeoIP country database (MaxMind's GeoIP.dat / GeoIPv6.dat format, as Debian's
 * geoip-database ships it), held in memory: a binary tree over the address's bits, two 3-byte
 * little-endian records per node, a record at or past COUNTRY_BEGIN being a leaf. A lookup reads at most
 * 32 (IPv4) or 128 (IPv6) nodes and allocates nothing.
 */
class CountryTree {
  private readonly nodes: number;

  constructor(
    private readonly data: Buffer,
    readonly bits: 32 | 128,
  ) {
    this.nodes = Math.floor(data.length / (2 * RECORD_BYTES));
  }

  static read(path: string): CountryTree {
    const data = readFileSync(path);
    const edition = editionOf(data);
    if (edition !== EDITION.country && edition !== EDITION.countryV6) {
      throw new BadCountryDatabase(`${path} is no GeoIP country database (edition ${edition})`);
    }
    return new CountryTree(data, edition === EDITION.country ? 32 : 128);
  }

  /** The country of an address given as its bytes (4 or 16, most significant first). */
  country(address: Uint8Array): string | null {
    let node = 0;
    for (let bit = 0; bit < this.bits; bit++) {
      if (node >= this.nodes) return null; // a damaged tree points past its end
      const right = (address[bit >> 3] >> (7 - (bit & 7))) & 1;
      const at = (2 * node + right) * RECORD_BYTES;
      const next = this.data[at] | (this.data[at + 1] << 8) | (this.data[at + 2] << 16);
      if (next >= COUNTRY_BEGIN) return CODES[next - COUNTRY_BEGIN] ?? null;
      node = next;
    }
    return null;
  }
}

/**
 * The database edition, from the structure info at the file's end: three 0xFF bytes and the edition,
 * within its last 20 bytes. Without one, the file is a country database (the format's oldest files).
 */
function editionOf(data: Buffer): number {
  for (let at = data.length - 3; at >= Math.max(0, data.length - 3 - 20); at--) {
    if (data[at] === 0xff && data[at + 1] === 0xff && data[at + 2] === 0xff) {
      const edition = data[at + 3];
      if (edition === undefined) break;
      return edition >= 106 ? edition - 105 : edition;
    }
  }
  return EDITION.country;
}

const ipv4Bytes = (address: string): Uint8Array => Uint8Array.from(address.split('.'), Number);

/** The 16 bytes of an address that isIPv6 accepted (zone dropped, an IPv4 tail as two groups). */
function ipv6Bytes(address: string): Uint8Array {
  let text = address.split('%')[0];
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number);
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::').map((half) => (half ? half.split(':') : []));
  const groups = rest === undefined ? head : [...head, ...Array<string>(8 - head.length - rest.length).fill('0'), ...rest];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d, as a dual-stack socket reports IPv4 peers) as IPv4. */
function mappedIpv4(bytes: Uint8Array): Uint8Array | null {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return null;
  return bytes[10] === 0xff && bytes[11] === 0xff ? bytes.subarray(12) : null;
}

/**
 * The visitor's country from its address, offline: Debian's geoip-database (GeoIP.dat for IPv4,
 * GeoIPv6.dat for IPv6) or any files of that format. Either file may be missing; an address whose family
 * has no file, or that no country holds (private, reserved), has no country.
 */
export class CountryDatabase {
  private constructor(
    private readonly v4: CountryTree | null,
    private readonly v6: CountryTree | null,
    /** The files read, for the boot log. */
    readonly files: readonly string[],
  ) {}

  /** Reads the files of `dir` (GEOIP_FILES); null when it holds neither. */
  static open(dir: string): CountryDatabase | null {
    const path = (name: string) => join(dir, name);
    const v4 = existsSync(path(GEOIP_FILES.v4)) ? CountryTree.read(path(GEOIP_FILES.v4)) : null;
    const v6 = existsSync(path(GEOIP_FILES.v6)) ? CountryTree.read(path(GEOIP_FILES.v6)) : null;
    if (v4 && v4.bits !== 32) throw new BadCountryDatabase(`${path(GEOIP_FILES.v4)} is an IPv6 database`);
    if (v6 && v6.bits !== 128) throw new BadCountryDatabase(`${path(GEOIP_FILES.v6)} is an IPv4 database`);
    if (!v4 && !v6) return null;
    const files = [v4 && path(GEOIP_FILES.v4), v6 && path(GEOIP_FILES.v6)].filter((file): file is string => file !== null);
    return new CountryDatabase(v4, v6, files);
  }

  /** ISO 3166-1 alpha-2, or null. */
  country(address: string): string | null {
    if (isIPv4(address)) return this.v4 ? this.v4.country(ipv4Bytes(address)) : null;
    if (!isIPv6(address)) return null;
    const bytes = ipv6Bytes(address);
    const v4 = mappedIpv4(bytes);
    if (v4) return this.v4 ? this.v4.country(v4) : null;
    return this.v6 ? this.v6.country(bytes) : null;
  }
}
