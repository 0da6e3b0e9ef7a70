import { CountryDatabase } from '@tracklane/tracking';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Where Debian's geoip-database installs its files (infra/lib.sh ensure_geoip installs it for the tests). */
const DIR = '/usr/share/GeoIP';
/** Codes of the format that name no country: a visitor from them has none. */
const NOT_COUNTRIES = new Set(['--', 'AP', 'EU', 'A1', 'A2', 'O1']);

const byte = () => (Math.random() * 256) | 0;
const group = () => ((Math.random() * 0x10000) | 0).toString(16);

/** Mostly allocated space: every IPv4 address, and IPv6 in the ranges the registries hand out. */
function addresses(): string[] {
  const v4 = Array.from({ length: 400 }, () => `${1 + ((Math.random() * 223) | 0)}.${byte()}.${byte()}.${byte()}`);
  const v6 = Array.from({ length: 250 }, () => {
    const prefix = ['2001', '2400', '2403', '2600', '2604', '2800', '2a00', '2a02', '2a03', '2c0f'][(Math.random() * 10) | 0];
    return `${prefix}:${group()}:${group()}::${group()}`;
  });
  return [...v4, ...v6, '::ffff:81.2.69.160', '127.0.0.1', '10.0.0.1', '192.168.1.1', '::1', 'fe80::1'];
}

/** What libGeoIP's own geoiplookup answers for an address: its country code, or null. */
async function geoiplookup(address: string): Promise<string | null> {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const v6 = address.includes(':') && !mapped;
  const { stdout } = await run(v6 ? 'geoiplookup6' : 'geoiplookup', ['-f', `${DIR}/${v6 ? 'GeoIPv6.dat' : 'GeoIP.dat'}`, mapped ?? address]);
  const code = /Edition: ([A-Z0-9-]{2}),/.exec(stdout)?.[1];
  if (code === undefined && !/not found/.test(stdout)) throw new Error(`geoiplookup said: ${stdout}`);
  return code === undefined || NOT_COUNTRIES.has(code) ? null : code;
}

/**
 * Our reader of the legacy GeoIP format against libGeoIP's, on Debian's own database: the same country
 * for every address, IPv4 and IPv6, found or not. A wrong bit order, record width, country table or edition
 * would show here as addresses placed in the wrong country.
 */
describe("the country database reader against libGeoIP's geoiplookup", () => {
  it('answers as libGeoIP does for every address of a random sample', async () => {
    const countries = CountryDatabase.open(DIR);
    expect(countries?.files).toEqual([`${DIR}/GeoIP.dat`, `${DIR}/GeoIPv6.dat`]);
    const sample = addresses();
    const expected: Record<string, string | null> = {};
    for (let i = 0; i < sample.length; i += 16) {
      const batch = sample.slice(i, i + 16);
      const answers = await Promise.all(batch.map(geoiplookup));
      batch.forEach((address, index) => (expected[address] = answers[index]));
    }
    const ours = Object.fromEntries(sample.map((address) => [address, countries?.country(address) ?? null]));
    expect(ours).toEqual(expected);
    // The sample is not vacuous: most of it lies in some country, over many countries.
    const found = Object.values(expected).filter((code) => code !== null);
    expect(found.length).toBeGreaterThan(sample.length / 2);
    expect(new Set(found).size).toBeGreaterThan(30);
  }, 120_000);
});
