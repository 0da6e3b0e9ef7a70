import { Catalog } from '@tracklane/catalog';
import { clicksV1, ID_PATTERN, topicNames } from '@tracklane/contracts';
import { RunningService, startService } from '@tracklane/observability';
import { createTestStack, TestStack } from '@tracklane/testing';
import { DIRECT_LINK_SCRIPT } from '@tracklane/tracking';
import { createServer, Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ClickIngestEnv } from '../src/click-ingest.env';
import { clickIngest } from '../src/click-ingest.service';
import { seedCatalog } from './support/catalog-fixture';
import { ClickTap } from './support/click-tap';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The direct-linking offer this suite adds: public, its landing page served by the suite on this machine. */
const OFFER = 18;

/**
 * Direct linking: an affiliate sends visitors straight to the advertiser's
 * landing page, which carries click-ingest's script. In a real Chromium the
 * script records the click and keeps its id first-party; over plain HTTP the
 * endpoint answers only the offer's own landing page, names every bad field,
 * and hands out an id only for a click that is durable (in Kafka).
 */
describe('click-ingest direct linking', () => {
  let stack: TestStack;
  let service: RunningService<ClickIngestEnv>;
  let tap: ClickTap;
  let spoolDir: string;
  let landing: Server;
  let landingUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    stack = await createTestStack({ partitions: 1 });
    await seedCatalog(stack.database.url);
    spoolDir = mkdtempSync(join(tmpdir(), 'click-spool-'));
    const env = Object.assign(new ClickIngestEnv(), stack.env, { PORT: 0, LOG_LEVEL: 'warn', CLICK_SPOOL_DIR: spoolDir });
    service = await startService(clickIngest, env);
    // The advertiser's landing page, with the documented snippet.
    landing = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><title>Sneakers</title><h1>Sneakers</h1>
        <script async src="${service.url}/dl.js" data-offer="${OFFER}"></script>`);
    });
    await new Promise<void>((resolve) => landing.listen(0, '127.0.0.1', resolve));
    landingUrl = `http://127.0.0.1:${(landing.address() as AddressInfo).port}`;
    const pool = new Pool({ connectionString: stack.database.url });
    try {
      await pool.query(
        `INSERT INTO offers (id, advertiser_id, name, status, visibility, destination_url) VALUES ($1, 1, 'Direct', 'active', 'public', $2)`,
        [OFFER, `${landingUrl}/land?cid={click_id}`],
      );
      // The site affiliate 7 sends visitors from without a tracking link.
      await pool.query(`UPDATE affiliates SET referrer_domains = '{coupons.example}' WHERE id = 7`);
    } finally {
      await pool.end();
    }
    await service.app.get(Catalog).reload();
    tap = await ClickTap.start(stack.topics.kafka, topicNames(clicksV1, stack.topics.prefix).main);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  });

  afterAll(async () => {
    await browser?.close();
    await tap?.stop();
    await service?.close();
    await new Promise((resolve) => landing?.close(resolve));
    await stack?.destroy();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${service.url}/v1/direct-clicks`, { method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8', origin: landingUrl, ...headers } });

  /** What the page knows once the script ran (or after a moment, when it has nothing to do). */
  async function visitLanding(page: Page, query: string, referer?: string) {
    await page.goto(`${landingUrl}/land${query}`, { referer });
    // Runs in the page: the test's compiler knows no DOM, so the page's globals are reached through globalThis.
    type PageGlobals = { tracklane?: { clickId: string }; localStorage: { getItem(key: string): string | null }; document: { cookie: string } };
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).tracklane !== undefined, undefined, { timeout: 10_000 }).catch(() => undefined);
    return page.evaluate(() => {
      const page = globalThis as unknown as PageGlobals;
      return { clickId: page.tracklane?.clickId ?? null, stored: page.localStorage.getItem('tl_click'), cookie: page.document.cookie };
    });
  }

  const clicksOfOffer = () => tap.clicks.filter((click) => click.offerId === OFFER).length;

  it('serves the script for landing pages: small, JavaScript, cached', async () => {
    const response = await fetch(`${service.url}/dl.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    const script = await response.text();
    expect(script).toBe(DIRECT_LINK_SCRIPT);
    expect(Buffer.byteLength(script)).toBeLessThan(2048);
  });

  it('records a click from the landing page in a browser, and keeps its id first-party', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      const seen = await visitLanding(page, '?aff_id=7&sub1=summer&aff_sub2=banner&utm_campaign=not-ours');
      expect(seen.clickId).toMatch(ID_PATTERN);
      expect(seen.stored).toBe(seen.clickId);
      expect(seen.cookie).toContain(`tl_click=${seen.clickId}`);
      // Durable before the page heard of it: in Kafka, once, with the link's fields and nothing else of the page.
      const click = await tap.click(seen.clickId as string);
      expect(click).toMatchObject({ offerId: OFFER, affiliateId: 7, sub1: 'summer', sub2: 'banner', disposition: 'accepted', params: {} });
      expect(click.userAgent).toContain('HeadlessChrome');

      // Back on the site without an affiliate parameter: the same click, nothing recorded.
      const before = clicksOfOffer();
      const again = await visitLanding(page, '?page=2');
      expect(again.clickId).toBe(seen.clickId);
      // A visitor arriving through a tracking link already carries a click id: kept, nothing recorded.
      const linked = await visitLanding(page, `?tl_click=${'0'.repeat(30)}&aff_id=7`);
      expect(linked.clickId).toBe('0'.repeat(30));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(clicksOfOffer()).toBe(before);

      // A refused click (affiliate 9 is suspended) is recorded, but its id does not replace the stored one;
      // nor does a "click id" in the URL that is none (it would reach the advertiser's page as it is).
      const refused = await visitLanding(page, '?aff_id=9');
      expect(refused.stored).toBe('0'.repeat(30));
      expect((await tap.one((click) => click.offerId === OFFER && click.affiliateId === 9, 'the refused click')).disposition).toBe('affiliate_inactive');
      const forged = await visitLanding(page, `?tl_click=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
      expect(forged.stored).toBe('0'.repeat(30));
    } finally {
      await context.close();
    }
  });

  it("credits a visitor referred by an affiliate's registered site, with no affiliate in the URL", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      const seen = await visitLanding(page, '?utm_source=deals', 'http://blog.coupons.example/sneaker-deal');
      expect(seen.clickId).toMatch(ID_PATTERN);
      expect(await tap.click(seen.clickId as string)).toMatchObject({ offerId: OFFER, affiliateId: 7, referrer: 'http://blog.coupons.example/sneaker-deal' });
    } finally {
      await context.close();
    }
    // Over HTTP: a registered domain's subdomain names the affiliate; any other site is nobody's visit (204, nothing recorded).
    const referred = await post(`offer_id=${OFFER}&referrer=${encodeURIComponent('https://www.coupons.example/p')}`);
    const credited = (await referred.json()) as { click_id: string; disposition: string };
    expect(credited.disposition).toBe('accepted');
    expect((await tap.click(credited.click_id)).affiliateId).toBe(7);
    const before = tap.clicks.length;
    const organic = await post(`offer_id=${OFFER}&referrer=${encodeURIComponent('https://search.example/?q=sneakers')}`);
    expect(organic.status).toBe(204);
    expect(organic.headers.get('access-control-allow-origin')).toBe(landingUrl);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(tap.clicks.length).toBe(before);
  });

  it('answers the landing page with the id of a durable click, readable across origins', async () => {
    const response = await post(`offer_id=${OFFER}&aff_id=7&sub3=s3&referrer=${encodeURIComponent('https://blog.example/post?id=1')}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(landingUrl);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { click_id: string; disposition: string };
    expect(body.disposition).toBe('accepted');
    expect(await tap.click(body.click_id)).toMatchObject({ offerId: OFFER, affiliateId: 7, sub3: 's3', referrer: 'https://blog.example/post?id=1' });

    // A JSON body is read too; the browser asks first.
    const preflight = await fetch(`${service.url}/v1/direct-clicks`, {
      method: 'OPTIONS',
      headers: { origin: landingUrl, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
    const json = await post(JSON.stringify({ offer_id: OFFER, aff_id: '7' }), { 'content-type': 'application/json' });
    expect(json.status).toBe(200);
  });

  it('records as a tracking link would: an affiliate not approved is recorded with that disposition', async () => {
    // Offer 10 lands on shop.example, so only that site may ask; affiliate 8's application is pending.
    const response = await post('offer_id=10&aff_id=8', { origin: 'https://www.shop.example' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { click_id: string; disposition: string };
    expect(body.disposition).toBe('affiliate_not_approved');
    expect((await tap.click(body.click_id)).disposition).toBe('affiliate_not_approved');
  });

  it.each([
    ['a page of another site', `offer_id=${OFFER}&aff_id=7`, { origin: 'https://evil.example' }, 403, 'Origin'],
    ['a request without Origin', `offer_id=${OFFER}&aff_id=7`, { origin: '' }, 403, 'Origin'],
    ['no affiliate and no referrer', `offer_id=${OFFER}&sub1=x`, {}, 400, 'aff_id'],
    ['no offer', 'aff_id=7', {}, 400, 'offer_id'],
    ['an offer id that is not a number', 'offer_id=18;DROP&aff_id=7', {}, 400, 'offer_id'],
    ['an offer that does not exist', 'offer_id=4040&aff_id=7', {}, 404, 'offer_id'],
    ['a sub id past its bound', `offer_id=${OFFER}&aff_id=7&sub1=${'x'.repeat(513)}`, {}, 400, 'sub1'],
    ['a JSON array', '[1,2]', { 'content-type': 'application/json' }, 400, 'body'],
  ])('refuses %s (body %s, headers %j) with a %i naming %s, recording nothing', async (_what, body, headers, status, field) => {
    const before = tap.clicks.length;
    const response = await post(body, headers);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    const problem = (await response.json()) as { errors: { field: string }[] };
    expect(problem.errors[0].field).toBe(field);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(tap.clicks.length).toBe(before);
  });

  it('refuses a body past its bound with a 413, not a 5xx', async () => {
    const response = await post(`offer_id=${OFFER}&aff_id=7&pad=${'x'.repeat(20_000)}`);
    expect(response.status).toBe(413);
  });
});
