import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadCountryDatabase, CountryDatabase, GEOIP_FILES } from './country-database';

const COUNTRY_BEGIN = 16_776_960;
/** Indexes in the format's country list. */
const INDEX = { EU: 2, DE: 56, FR: 74, GB: 77, US: 225, A1: 244 };

/**
 * A database file of the legacy GeoIP country format built from prefixes: a binary tree, two 3-byte
 * little-endian records per node, leaves COUNTRY_BEGIN + country index, then the structure info (three 0xFF
 * bytes and the edition).
 */
function databaseFile(prefixes: { bytes: number[]; length: number; country: number }[], edition: number): Buffer {
  const nodes: number[][] = [[COUNTRY_BEGIN, COUNTRY_BEGIN]];
  for (const { bytes, length, country } of prefixes) {
    let node = 0;
    for (let bit = 0; bit < length; bit++) {
      const side = (bytes[bit >> 3] >> (7 - (bit & 7))) & 1;
      if (bit === length - 1) {
        nodes[node][side] = COUNTRY_BEGIN + country;
      } else {
        if (nodes[node][side] >= COUNTRY_BEGIN) {
          nodes.push([nodes[node][side], nodes[node][side]]);
          nodes[node][side] = nodes.length - 1;
        }
        node = nodes[node][side];
      }
    }
  }
  const data = Buffer.alloc(nodes.length * 6 + 4);
  nodes.forEach(([left, right], index) => {
    data.writeUIntLE(left, index * 6, 3);
    data.writeUIntLE(right, index * 6 + 3, 3);
  });
  data.set([0xff, 0xff, 0xff, edition], nodes.length * 6);
  return data;
}

describe('the offline country database (legacy GeoIP format)', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'geoip-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(v4: Buffer | null, v6: Buffer | null): CountryDatabase {
    if (v4) writeFileSync(join(dir, GEOIP_FILES.v4), v4);
    if (v6) writeFileSync(join(dir, GEOIP_FILES.v6), v6);
    const database = CountryDatabase.open(dir);
    if (!database) throw new Error('no database opened');
    return database;
  }

  const v4 = () =>
    databaseFile(
      [
        { bytes: [81], length: 8, country: INDEX.GB },
        { bytes: [81, 2, 69], length: 24, country: INDEX.DE },
        { bytes: [8, 8, 8, 8], length: 32, country: INDEX.US },
        { bytes: [5, 0], length: 16, country: INDEX.A1 },
        { bytes: [6, 0], length: 16, country: INDEX.EU },
      ],
      1,
    );
  const v6 = () => databaseFile([{ bytes: [0x2a, 0x01, 0x0e, 0x00], length: 32, country: INDEX.FR }], 12);

  it('finds the most specific prefix of an IPv4 address, bit by bit', () => {
    const countries = write(v4(), null);
    expect(['81.0.0.0', '81.2.68.255', '81.2.69.0', '81.2.69.255', '81.2.70.0', '81.255.255.255', '8.8.8.8', '8.8.8.9', '82.0.0.0'].map((ip) => countries.country(ip))).toEqual([
      'GB',
      'GB',
      'DE',
      'DE',
      'GB',
      'GB',
      'US',
      null,
      null,
    ]);
  });

  it('reads an IPv4-mapped IPv6 address (a dual-stack socket’s IPv4 peer) from the IPv4 file', () => {
    const countries = write(v4(), v6());
    expect(countries.country('::ffff:81.2.69.7')).toBe('DE');
    expect(countries.country('::FFFF:8.8.8.8')).toBe('US');
  });

  it('walks all 128 bits of an IPv6 address, with :: anywhere and a zone', () => {
    const countries = write(null, v6());
    expect(countries.country('2a01:e00::1')).toBe('FR');
    expect(countries.country('2a01:0e00:ffff:ffff:ffff:ffff:ffff:ffff')).toBe('FR');
    expect(countries.country('2a01:e01::')).toBeNull();
    expect(countries.country('::1')).toBeNull();
    expect(countries.country('2a01:e00::1%eth0')).toBe('FR');
    // Without an IPv4 file, IPv4 visitors have no country.
    expect(countries.country('81.2.69.7')).toBeNull();
  });

  it('gives no country for the pseudo-countries (anonymous proxy, regions) nor for what is not an address', () => {
    const countries = write(v4(), null);
    expect(countries.country('5.0.1.2')).toBeNull();
    expect(countries.country('6.0.1.2')).toBeNull();
    for (const notAnAddress of ['', 'localhost', '81.2.69', '81.2.69.256', '1::2::3', 'unknown']) expect(countries.country(notAnAddress)).toBeNull();
  });

  it('answers no country, not a crash, where a damaged tree points past its end', () => {
    const damaged = v4();
    damaged.writeUIntLE(1_000_000, 3, 3); // the root's right record: a node far beyond the file
    const countries = write(damaged, null);
    expect(countries.country('200.1.2.3')).toBeNull();
    expect(countries.country('81.2.69.1')).toBe('DE');
  });

  it('is absent where the directory holds neither file, and refuses a file of another kind', () => {
    expect(CountryDatabase.open(dir)).toBeNull();
    writeFileSync(join(dir, GEOIP_FILES.v4), databaseFile([], 6)); // edition 6: a city database
    expect(() => CountryDatabase.open(dir)).toThrow(BadCountryDatabase);
    writeFileSync(join(dir, GEOIP_FILES.v4), v6());
    expect(() => CountryDatabase.open(dir)).toThrow(/IPv6 database/);
  });
});
