/**
 * Cost of the offline country database on the redirect path (run on demand, not a test):
 *
 *   npm run bench:click-country
 *
 * In one process, the same visitors read by VisitorReader.read (what every click runs) three ways: with the
 * edge's country header (the baseline: no lookup), without it and without a database, and without it with
 * Debian's GeoIP database (the lookup). Addresses are public ones, three of four IPv4, so the tree is
 * walked to a country, not stopped at a reserved range. Checks by address that the database run found the
 * country the database holds for each visitor, then prints ns per read for each way and the lookup's
 * share of click-ingest's CPU per click (README, redirect benchmark).
 */
import { CountryDatabase, VisitorReader } from '@tracklane/tracking';
import { machineLine } from '@tracklane/testing';
import type { IncomingHttpHeaders } from 'node:http';

const DIR = process.env.CLICK_GEOIP_DIR ?? '/usr/share/GeoIP';
const VISITORS = 20_000;
const ROUNDS = 25;
const USER_AGENT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
/** click-ingest's CPU per click at peak, the lowest of the last redirect benchmark (apps/click-ingest/README.md, 6 December 2026). */
const CPU_PER_CLICK_NS = 84_000;

const byte = () => (Math.random() * 256) | 0;
const group = () => ((Math.random() * 0x10000) | 0).toString(16);

function publicAddress(): string {
  if (Math.random() < 0.75) return `${[1, 24, 41, 62, 81, 94, 141, 176, 194, 217][(Math.random() * 10) | 0]}.${byte()}.${byte()}.${byte()}`;
  return `${['2001:4860', '2a00:1450', '2400:cb00', '2600:1f18', '2a02:26f0'][(Math.random() * 5) | 0]}:${group()}::${group()}`;
}

function time(read: (headers: IncomingHttpHeaders) => unknown, requests: IncomingHttpHeaders[]): number {
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    for (const headers of requests) read(headers);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / requests.length);
  }
  return best;
}

function main(): void {
  const countries = CountryDatabase.open(DIR);
  if (!countries) throw new Error(`no GeoIP database in ${DIR} (Debian: apt-get install geoip-database)`);
  const addresses = Array.from({ length: VISITORS }, publicAddress);
  const options = { clientIpHeader: 'x-forwarded-for', extraBotPatterns: [] };
  const none = new VisitorReader({ ...options, countryHeader: 'cf-ipcountry', countries: null });
  const database = new VisitorReader({ ...options, countryHeader: 'cf-ipcountry', countries });
  const withHeader = addresses.map((ip) => ({ 'x-forwarded-for': ip, 'user-agent': USER_AGENT, 'cf-ipcountry': 'DE' }));
  const without = addresses.map((ip) => ({ 'x-forwarded-for': ip, 'user-agent': USER_AGENT }));

  // Correctness by address: every visitor's country is the database's answer for that address.
  const wrong = without.filter((headers, index) => database.read(headers, '127.0.0.1').country !== countries.country(addresses[index]));
  const placed = without.filter((headers) => database.read(headers, '127.0.0.1').country !== null).length;
  if (wrong.length > 0 || placed < VISITORS / 2) {
    console.error(`FAIL: ${wrong.length} visitors with another country than their address's; ${placed} of ${VISITORS} placed`);
    process.exit(1);
  }

  // The same reader as the database run: with the edge's header it never looks the address up.
  const edgeNs = time((headers) => database.read(headers, '127.0.0.1'), withHeader);
  const noneNs = time((headers) => none.read(headers, '127.0.0.1'), without);
  const databaseNs = time((headers) => database.read(headers, '127.0.0.1'), without);
  console.log(machineLine());
  console.log(`${VISITORS} public addresses (${placed} in a country), best of ${ROUNDS} rounds, ns per VisitorReader.read:`);
  console.log(`  edge country header (baseline): ${edgeNs.toFixed(0)} ns`);
  console.log(`  no header, no database:         ${noneNs.toFixed(0)} ns`);
  console.log(`  no header, GeoIP database:      ${databaseNs.toFixed(0)} ns`);
  const lookupNs = databaseNs - noneNs;
  console.log(
    `lookup: ${lookupNs.toFixed(0)} ns per click = ${((100 * lookupNs) / CPU_PER_CLICK_NS).toFixed(1)} % of click-ingest's ` +
      `${CPU_PER_CLICK_NS / 1000} µs CPU per click`,
  );
}

main();
