/**
 * Who clicks in the redirect benchmark: many visitors, each an IP (sent as
 * X-Forwarded-For, which the service is told to trust) and a browser's user
 * agent, so that uniqueness keys and rate-limit counters spread over Redis as
 * they do in production. A few heavy IPs (offices, carrier NAT, a scraper)
 * send 2 % of the clicks and go over the per-IP limit; about 1 % of clicks
 * come from crawlers. The addresses are only header values, from the ranges
 * reserved for benchmarks and documentation (198.18.0.0/15, 2001:db8::/32,
 * 192.0.2.0/24): nothing is sent to them.
 */
const BROWSERS = [
  (v: number) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`,
  (v: number) => `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`,
  (v: number) => `Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Mobile Safari/537.36`,
  (v: number) => `Mozilla/5.0 (iPhone; CPU iPhone OS 17_${v % 7} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${v % 7} Mobile/15E148 Safari/604.1`,
  (v: number) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`,
  (v: number) => `Mozilla/5.0 (X11; Linux x86_64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`,
  (v: number) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36 Edg/${v}.0.0.0`,
  (v: number) => `Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/${v % 30}.0 Chrome/${v}.0.0.0 Mobile Safari/537.36`,
];
const CRAWLERS = ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'facebookexternalhit/1.1', 'curl/8.5.0'];
const HEAVY_IPS = Array.from({ length: 20 }, (_, i) => `192.0.2.${i + 1}`);

const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)];

export interface Visitor {
  ip: string;
  userAgent: string;
}

export function nextVisitor(): Visitor {
  const roll = Math.random();
  const byte = () => Math.floor(Math.random() * 256);
  const ip =
    roll < 0.02
      ? pick(HEAVY_IPS)
      : roll < 0.75
        ? `198.${18 + (byte() & 1)}.${byte()}.${byte()}`
        : `2001:db8:${byte().toString(16)}${byte().toString(16)}::${byte().toString(16)}`;
  const userAgent = roll > 0.99 ? pick(CRAWLERS) : pick(BROWSERS)(110 + Math.floor(Math.random() * 22));
  return { ip, userAgent };
}

/** Where the visitors' clicks went, counted from what reached clicks.v1. */
export interface MixReport {
  clicks: number;
  unique: number;
  rateLimited: number;
  bot: number;
  unverified: number;
}

export function describeMix(report: MixReport): string {
  const share = (n: number) => `${((100 * n) / Math.max(1, report.clicks)).toFixed(1)} %`;
  return (
    `visitor mix as recorded: unique ${share(report.unique)}, rate_limited ${share(report.rateLimited)}, ` +
    `bot ${share(report.bot)}, unverified (Redis late) ${share(report.unverified)}`
  );
}
