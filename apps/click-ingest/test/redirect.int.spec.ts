import { announceCatalogChange, Catalog, CatalogEntity, CatalogSnapshot } from '@tracklane/catalog';
import { InvalidationBus } from '@tracklane/cache';
import { clicksV1, ClickV1, ID_PATTERN, idTime, topicNames } from '@tracklane/contracts';
import { RunningService, startService } from '@tracklane/observability';
import { visitorDigests } from '@tracklane/tracking';
import { createTestStack, readTopic, TestStack, waitFor } from '@tracklane/testing';
import { hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'pg';
import { ClickIngestEnv } from '../src/click-ingest.env';
import { clickIngest } from '../src/click-ingest.service';
import { NETWORK_FALLBACK, seedCatalog } from './support/catalog-fixture';
import { ClickTap } from './support/click-tap';

const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';

describe('click-ingest redirects', () => {
  let stack: TestStack;
  let service: RunningService<ClickIngestEnv>;
  let tap: ClickTap;
  let spoolDir: string;
  /** Writes the catalogue the way management would (created by the first test that changes it). */
  let pool: Pool | undefined;
  let visitorSeq = 0;

  beforeAll(async () => {
    // One partition: clicks arrive in the order they were made, so "nothing was recorded" can be shown.
    stack = await createTestStack({ partitions: 1 });
    await seedCatalog(stack.database.url);
    spoolDir = mkdtempSync(join(tmpdir(), 'click-spool-'));
    const env = Object.assign(new ClickIngestEnv(), stack.env, {
      PORT: 0,
      LOG_LEVEL: 'warn',
      CLICK_SPOOL_DIR: spoolDir,
      CLICK_CLIENT_IP_HEADER: 'x-forwarded-for',
      CLICK_RATE_LIMIT_MAX: 5,
      CLICK_BOT_PATTERNS: 'acme-scanner',
    });
    service = await startService(clickIngest, env);
    tap = await ClickTap.start(stack.topics.kafka, topicNames(clicksV1, stack.topics.prefix).main);
  });

  afterAll(async () => {
    await pool?.end();
    await tap?.stop();
    await service?.close();
    await stack?.destroy();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  /** Changes the catalogue in the database, announces it as management does, and waits until click-ingest has it. */
  async function changeCatalogue(sql: string, params: unknown[], change: [CatalogEntity, number], reloaded: (snapshot: CatalogSnapshot) => boolean) {
    pool ??= new Pool({ connectionString: stack.database.url });
    await pool.query(sql, params);
    await announceCatalogChange(service.app.get(InvalidationBus), ...change);
    await waitFor(() => reloaded(service.app.get(Catalog).current()), { what: 'catalogue reloaded' });
  }

  /** Every request comes from a visitor of its own unless a test says otherwise (uniqueness and rate are per visitor). */
  function visit(path: string, options: { method?: string; headers?: Record<string, string> } = {}) {
    visitorSeq++;
    return fetch(`${service.url}${path}`, {
      method: options.method ?? 'GET',
      redirect: 'manual',
      headers: {
        'user-agent': `${BROWSER} visitor/${visitorSeq}`,
        'x-forwarded-for': `203.0.113.${visitorSeq % 250}, 198.18.${visitorSeq >> 8}.${visitorSeq & 255}`,
        ...options.headers,
      },
    });
  }

  async function clickBehind(response: Response): Promise<{ location: URL; click: ClickV1 }> {
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    const clickId = location.searchParams.get('cid') ?? '';
    expect(clickId).toMatch(ID_PATTERN);
    return { location, click: await tap.click(clickId) };
  }

  it('sends the browser to the offer with every macro filled in, once the click is in clicks.v1', async () => {
    const before = Date.now();
    const response = await visit(
      '/c/10?aff_id=7&sub1=s-one&sub2=s-two&sub3=s-three&sub4=s-four&sub5=s-five&source=newsletter&aff_click_id=pub-42&campaign=spring',
      { headers: { 'cf-ipcountry': 'de', referer: 'https://publisher.example/page' } },
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { location, click } = await clickBehind(response);

    expect(location.origin + location.pathname).toBe('https://shop.example/land');
    const macros = Object.fromEntries(location.searchParams);
    expect(macros).toEqual({
      cid: click.clickId,
      tid: click.clickId,
      o: '10',
      a: '7',
      adv: '1',
      s1: 's-one',
      s2: 's-two',
      s3: 's-three',
      s4: 's-four',
      s5: 's-five',
      src: 'newsletter',
      acid: 'pub-42',
      ts: expect.stringMatching(/^\d{10}$/),
      x: '',
    });
    expect(Number(macros.ts) * 1000).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);

    const clickIndex = tap.clicks.indexOf(click);
    expect(tap.keys[clickIndex]).toBe(click.clickId);
    expect(click).toMatchObject({
      offerId: 10,
      advertiserId: 1,
      affiliateId: 7,
      sub1: 's-one',
      sub5: 's-five',
      source: 'newsletter',
      affClickId: 'pub-42',
      params: { campaign: 'spring' },
      country: 'DE',
      device: 'desktop',
      referrer: 'https://publisher.example/page',
      unique: true,
      flags: [],
      disposition: 'accepted',
    });
    expect(click.ip).toMatch(/^198\.18\./);
    expect(idTime(click.clickId)).toBe(Date.parse(click.occurredAt));
  });

  it('accepts the query form and the common aliases; a canonical name beats its alias', async () => {
    const { click } = await clickBehind(
      await visit(
        '/click?offer_id=10&affiliate_id=7&aff_sub=a1&aff_sub2=a2&aff_sub3=a3&aff_sub4=a4&aff_sub5=a5&source_id=src&sub5=canonical',
      ),
    );
    expect(click).toMatchObject({
      offerId: 10,
      affiliateId: 7,
      sub1: 'a1',
      sub2: 'a2',
      sub3: 'a3',
      sub4: 'a4',
      sub5: 'canonical',
      source: 'src',
      params: {},
    });
  });

  it('URL-encodes hostile values so they stay inside their parameter and out of the headers', async () => {
    const hostile = {
      sub1: 'a&cid=forged#frag',
      sub2: '\r\nSet-Cookie: owned=1',
      sub3: '"><script>alert(1)</script>',
      sub4: 'https://evil.example/',
      sub5: 'Grüße €\u0000\u0007',
    };
    const query = Object.entries(hostile)
      .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
      .join('&');
    const response = await visit(`/c/10?aff_id=7&${query}&url=https://evil.example/&redirect=https://evil.example/`);
    const raw = response.headers.get('location') ?? '';
    // Printable ASCII only, without the characters that could end an attribute or a tag.
    expect(raw).toMatch(/^[!-~]+$/);
    expect(raw).not.toMatch(/["<>]/);
    expect(response.headers.get('set-cookie')).toBeNull();
    const { location, click } = await clickBehind(response);
    expect(location.host).toBe('shop.example');
    expect(location.searchParams.getAll('cid')).toEqual([click.clickId]);
    expect(location.searchParams.get('s1')).toBe(hostile.sub1);
    expect(location.searchParams.get('s2')).toBe(hostile.sub2);
    expect(location.searchParams.get('s3')).toBe(hostile.sub3);
    expect(location.searchParams.get('s4')).toBe(hostile.sub4);
    // The click and the redirect carry the stored form: the NUL and the bell are dropped (storable-text rule).
    expect(location.searchParams.get('s5')).toBe('Grüße €');
    expect(click.sub5).toBe('Grüße €');
    expect(click.sub2).toBe(hostile.sub2);
    expect(click.params).toEqual({ url: 'https://evil.example/', redirect: 'https://evil.example/' });
  });

  it('makes text no store could hold storable before it issues the click id, and writes only that to Kafka', async () => {
    const emoji = '%F0%9F%98%80'.repeat(512);
    const response = await visit(`/c/10?aff_id=7&sub1=nul%00byte&sub2=%01%02&source=kept%ED%A0%80%ZZ&aff_click_id=${emoji}&x%00y=v%07`, {
      headers: { 'user-agent': `${BROWSER}\u00ff`, referer: 'https://publisher.example/\u0085' },
    });
    const { click } = await clickBehind(response);
    expect(click).toMatchObject({
      sub1: 'nulbyte',
      sub2: null,
      // Invalid percent-encoding is storable: kept as written.
      source: 'kept%ED%A0%80%ZZ',
      // 512 characters, 1,024 UTF-16 units: within the limit, which counts characters.
      affClickId: '😀'.repeat(512),
      params: { xy: 'v' },
    });
    // The bytes on the topic are storable as produced, not only after a consumer repaired them.
    const written = (await readTopic(stack.topics.kafka, topicNames(clicksV1, stack.topics.prefix).main, { idleMs: 1_000 })).find(
      (message) => message.key === click.clickId,
    );
    expect(written?.value?.toString('utf8')).not.toMatch(/\\u00(0[0-8bcef]|1[0-9a-f]|7f)|\\ud[89a-f]/i);
    expect(await visit(`/c/10?aff_id=7&sub1=${'%F0%9F%98%80'.repeat(513)}`, { headers: { accept: 'application/json' } }).then((refused) => refused.json())).toMatchObject({
      status: 400,
      errors: [{ field: 'sub1', reason: 'must be at most 512 characters' }],
    });
  });

  it('percent-encodes what an operator typed that a Location header cannot carry', async () => {
    const response = await visit('/c/17?aff_id=7');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(/^https:\/\/shop\.example\/a%20b%09c\?cid=[0-9a-z]{30}&name=%C3%84rger$/);
  });

  it.each([
    ['a paused offer', '/c/12?aff_id=7&sub1=p', 'https://fallback.example/offer', 'offer_paused'],
    ['an offer past its expiry date', '/c/13?aff_id=7', 'https://network.example/fallback', 'offer_expired'],
    ['an expired offer', '/c/14?aff_id=7', 'https://network.example/fallback', 'offer_expired'],
    ["a paused advertiser's offer", '/c/15?aff_id=7', 'https://network.example/fallback', 'offer_paused'],
    ['an affiliate whose application is pending', '/c/10?aff_id=8', 'https://fallback.example/offer', 'affiliate_not_approved'],
    ['a suspended affiliate', '/c/10?aff_id=9', 'https://fallback.example/offer', 'affiliate_inactive'],
    ['an affiliate that does not exist', '/c/10?aff_id=999', 'https://fallback.example/offer', 'affiliate_not_approved'],
    ['an affiliate blocked on a public offer', '/c/11?aff_id=20', 'https://network.example/fallback', 'affiliate_not_approved'],
  ])('sends %s to the fallback and records the click with its reason', async (_case, path, fallback, disposition) => {
    const { location, click } = await clickBehind(await visit(path));
    expect(location.origin + location.pathname).toBe(fallback);
    expect(click.disposition).toBe(disposition);
    if (fallback.includes('network')) expect(location.searchParams.get('o')).toBe(String(click.offerId));
    else expect(location.searchParams.get('s1')).toBe(click.sub1 ?? '');
  });

  it('lets any active affiliate run a public offer', async () => {
    const { location, click } = await clickBehind(await visit('/c/11?aff_id=8'));
    expect(location.pathname).toBe('/public');
    expect(click.disposition).toBe('accepted');
  });

  it('answers a small page when there is no fallback anywhere, with the click recorded', async () => {
    const networkFallback = (url: string | null) =>
      changeCatalogue('UPDATE network_settings SET default_fallback_url = $1', [url], ['network_settings', 1], (catalog) => catalog.settings.defaultFallbackUrl === url);
    try {
      await networkFallback(null);
      const marker = `nowhere-${Date.now()}`;
      const response = await visit(`/c/14?aff_id=7&sub1=${marker}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await response.text()).toBe('This offer is not available.\n');
      const click = await tap.one((candidate) => candidate.sub1 === marker, marker);
      expect(click).toMatchObject({ offerId: 14, disposition: 'offer_expired' });

      // A client that asks for JSON learns which field of the link is behind it.
      const asJson = await visit(`/c/14?aff_id=7`, { headers: { accept: 'application/json' } });
      expect(asJson.status).toBe(404);
      expect(((await asJson.json()) as { errors: unknown }).errors).toEqual([{ field: 'offer_id', reason: 'the offer has expired' }]);
      const unknownAffiliate = await visit(`/c/11?aff_id=999`, { headers: { accept: 'application/json' } });
      expect(unknownAffiliate.status).toBe(404);
      expect(((await unknownAffiliate.json()) as { errors: unknown }).errors).toEqual([{ field: 'aff_id', reason: 'names no affiliate approved for this offer' }]);
    } finally {
      await networkFallback(NETWORK_FALLBACK);
    }
  });

  it("sends only the visitors an offer targets to it; the others to its fallback, recorded as targeting_mismatch", async () => {
    const target = (targeting: object | null) =>
      changeCatalogue(
        'UPDATE offers SET targeting = $1 WHERE id = 11',
        [targeting === null ? null : JSON.stringify(targeting)],
        ['offer', 11],
        (catalog) => (catalog.offer(11)?.targeting != null) === (targeting !== null),
      );
    try {
      await target({ countries: ['DE', 'AT'], devices: ['mobile'], operatingSystems: ['ios'] });
      const cases: Array<[string, Record<string, string>, string]> = [
        ['German iPhone', { 'cf-ipcountry': 'DE', 'user-agent': IPHONE }, 'accepted'],
        ['Austrian iPhone, country in lower case', { 'cf-ipcountry': 'at', 'user-agent': IPHONE }, 'accepted'],
        ['French iPhone', { 'cf-ipcountry': 'FR', 'user-agent': IPHONE }, 'targeting_mismatch'],
        ['iPhone of unknown country', { 'user-agent': IPHONE }, 'targeting_mismatch'],
        ['German desktop', { 'cf-ipcountry': 'DE', 'user-agent': BROWSER }, 'targeting_mismatch'],
        ['German Android phone', { 'cf-ipcountry': 'DE', 'user-agent': ANDROID }, 'targeting_mismatch'],
        // No country header: the GeoIP database (Debian's geoip-database) places the visitor's address.
        ['iPhone at a German IPv4 address', { 'x-forwarded-for': '194.25.2.129', 'user-agent': IPHONE }, 'accepted'],
        ['iPhone at a German IPv6 address', { 'x-forwarded-for': '2a00:1450:4001:80b::200e', 'user-agent': IPHONE }, 'accepted'],
        ['iPhone at a British address', { 'x-forwarded-for': '81.2.69.160', 'user-agent': IPHONE }, 'targeting_mismatch'],
        // The edge's country wins over the database's.
        ['iPhone at a British address the edge places in Austria', { 'x-forwarded-for': '81.2.69.160', 'cf-ipcountry': 'AT', 'user-agent': IPHONE }, 'accepted'],
      ];
      const countries: Record<string, string | null> = {};
      for (const [visitor, headers, disposition] of cases) {
        const marker = `targeting-${visitorSeq}`;
        const response = await visit(`/c/11?aff_id=8&sub1=${marker}`, { headers });
        expect([visitor, response.status]).toEqual([visitor, 302]);
        const location = new URL(response.headers.get('location') ?? '');
        // Offer 11 has no fallback of its own: a visitor it does not take goes to the network's.
        expect([visitor, location.origin + location.pathname]).toEqual([visitor, disposition === 'accepted' ? 'https://shop.example/public' : 'https://network.example/fallback']);
        const click = await tap.one((candidate) => candidate.sub1 === marker, marker);
        expect([visitor, click.disposition]).toEqual([visitor, disposition]);
        countries[visitor] = click.country;
      }
      // The click records the country it was decided by; the test network's own addresses have none.
      expect(countries).toMatchObject({
        'iPhone of unknown country': null,
        'iPhone at a German IPv4 address': 'DE',
        'iPhone at a German IPv6 address': 'DE',
        'iPhone at a British address': 'GB',
        'iPhone at a British address the edge places in Austria': 'AT',
      });

      // With an alternative offer, a visitor the targeting does not take becomes a click of that offer.
      await changeCatalogue('UPDATE offers SET alternative_offer_id = 17 WHERE id = 11', [], ['offer', 11], (catalog) => catalog.offer(11)?.alternativeOfferId === 17);
      const rerouted = await clickBehind(await visit('/c/11?aff_id=8', { headers: { 'cf-ipcountry': 'FR', 'user-agent': IPHONE } }));
      expect(rerouted.location.pathname).toBe('/a%20b%09c');
      expect(rerouted.click).toMatchObject({ offerId: 17, affiliateId: 8, disposition: 'accepted' });
      const stays = await clickBehind(await visit('/c/11?aff_id=8', { headers: { 'cf-ipcountry': 'DE', 'user-agent': IPHONE } }));
      expect(stays.click).toMatchObject({ offerId: 11, disposition: 'accepted' });
      await changeCatalogue('UPDATE offers SET alternative_offer_id = NULL WHERE id = 11', [], ['offer', 11], (catalog) => catalog.offer(11)?.alternativeOfferId === null);

      // Without targeting, every visitor goes to the offer again.
      await target(null);
      const { location } = await clickBehind(await visit('/c/11?aff_id=8', { headers: { 'cf-ipcountry': 'FR' } }));
      expect(location.pathname).toBe('/public');
    } finally {
      await target(null);
    }
  });

  it("stores a visitor's IP and user agent as the network's privacy settings say, deciding on the full ones", async () => {
    const privacy = (ip: string, userAgent: string) =>
      changeCatalogue(
        'UPDATE network_settings SET visitor_ip_storage = $1, user_agent_storage = $2',
        [ip, userAgent],
        ['network_settings', 1],
        (catalog) => catalog.settings.visitorIpStorage === ip && catalog.settings.userAgentStorage === userAgent,
      );
    const clickFrom = async (ip: string) => {
      const marker = `privacy-${Date.now()}-${Math.random()}`;
      const response = await visit(`/c/11?aff_id=8&sub1=${marker}`, { headers: { 'x-forwarded-for': ip, 'user-agent': ANDROID } });
      expect(response.status).toBe(302);
      return tap.one((candidate) => candidate.sub1 === marker, marker);
    };
    try {
      await privacy('truncated', 'normalised');
      expect(await clickFrom('198.51.100.77')).toMatchObject({ ip: '198.51.100.0', userAgent: 'chrome/131 android mobile', device: 'mobile' });
      expect((await clickFrom('2001:db8:abcd:12::77')).ip).toBe('2001:db8:abcd::');

      await privacy('hashed', 'full');
      const first = await clickFrom('198.51.100.90');
      const again = await clickFrom('198.51.100.90');
      const other = await clickFrom('198.51.100.91');
      expect(first.ip).toMatch(/^h:[A-Za-z0-9_-]{27}$/);
      expect(again.ip).toBe(first.ip);
      expect(other.ip).not.toBe(first.ip);
      expect(first.userAgent).toBe(ANDROID);
      // Uniqueness is decided on the full address and user agent: the second visit of the same visitor is a repeat.
      expect([first.unique, again.unique, other.unique]).toEqual([true, false, true]);
      const stored = JSON.stringify(tap.clicks.filter((click) => click.ip.startsWith('h:')));
      expect(stored).not.toContain('198.51.100.9');
    } finally {
      await privacy('full', 'full');
    }
  });

  it.each([
    ['an unknown offer', '/c/4040?aff_id=7'],
    ['an archived offer', '/c/16?aff_id=7'],
  ])('answers %s with a plain 404 page', async (_case, path) => {
    const response = await visit(path);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('Offer not found.\n');
  });

  it('finds an offer whose announcement it never heard within a second: a link to an unknown offer reloads the catalogue', async () => {
    pool ??= new Pool({ connectionString: stack.database.url });
    // Written as management would, but never announced: only the request itself can tell click-ingest.
    await pool.query(`INSERT INTO offers (id, advertiser_id, name, destination_url, visibility) VALUES (60, 1, 'Unannounced', 'https://late.example/?cid={click_id}', 'public')`);
    expect((await visit('/c/60?aff_id=7')).status).toBe(404);
    const started = Date.now();
    const { location } = await waitFor(
      async () => {
        const response = await visit('/c/60?aff_id=7');
        return response.status === 302 ? clickBehind(response) : undefined;
      },
      { timeoutMs: 5_000, intervalMs: 200, what: 'the unannounced offer redirected' },
    );
    expect(location.host).toBe('late.example');
    // Well before the periodic reload (a minute): the miss itself reloaded it.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('answers HEAD without counting a click', async () => {
    const marker = `head-${Date.now()}`;
    const head = await visit(`/c/10?aff_id=7&sub1=${marker}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('location')).toBeNull();
    expect((await visit('/c/4040?aff_id=7', { method: 'HEAD' })).status).toBe(404);
    expect((await visit('/c/10?aff_id=x', { method: 'HEAD' })).status).toBe(400);

    // With one partition, clicks arrive in order: once a later click is in, an earlier one would be too.
    const { click } = await clickBehind(await visit(`/c/10?aff_id=7&sub1=${marker}-get`));
    expect(click.sub1).toBe(`${marker}-get`);
    expect(tap.clicks.filter((candidate) => candidate.sub1 === marker)).toEqual([]);
  });

  it.each([
    ['no affiliate', '/c/10?sub1=x', 'aff_id: is required'],
    ['a non-numeric affiliate', '/c/10?aff_id=seven', 'aff_id: must be a positive integer'],
    ['an affiliate id out of range', '/c/10?aff_id=99999999999', 'aff_id: must be a positive integer'],
    ['a non-numeric offer', '/c/ten?aff_id=7', 'offer_id: must be a positive integer'],
    ['the query form without an offer', '/click?aff_id=7', 'offer_id: is required'],
    ['a sub value longer than 512 characters', `/c/10?aff_id=7&sub1=${'x'.repeat(513)}`, 'sub1: must be at most 512 characters'],
    ['an extra value longer than 1024 characters', `/c/10?aff_id=7&note=${'x'.repeat(1025)}`, 'note: must be at most 1024 characters'],
    ['a parameter name longer than 64 characters', `/c/10?aff_id=7&${'n'.repeat(65)}=1`, 'parameter names must be at most 64 characters'],
    [
      'more than 64 parameters',
      `/c/10?aff_id=7&${Array.from({ length: 64 }, (_, i) => `p${i}=1`).join('&')}`,
      'query: must have at most 64 parameters',
    ],
  ])('refuses %s with a 400 that names the field and the reason', async (_case, path, reason) => {
    const response = await visit(path);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain(reason);
  });

  it('answers a client that asks for JSON with problem details naming the field, a browser with the page', async () => {
    const asked = await visit('/c/10?aff_id=seven', { headers: { accept: 'application/problem+json' } });
    expect(asked.status).toBe(400);
    expect(asked.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await asked.json()).toEqual({
      type: 'urn:tracklane:problem:invalid-request',
      title: 'The request is invalid',
      status: 400,
      detail: 'aff_id: must be a positive integer',
      errors: [{ field: 'aff_id', reason: 'must be a positive integer' }],
    });
    const unknown = await visit('/c/4040?aff_id=7', { headers: { accept: 'application/json' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ type: 'urn:tracklane:problem:not-found', status: 404, detail: 'offer not found' });
    const browser = await visit('/c/10?aff_id=seven', { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(browser.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });

  it('marks a repeat visit by the same IP and user agent as not unique', async () => {
    const visitor = { 'user-agent': `${BROWSER} repeat-${Date.now()}`, 'x-forwarded-for': '192.0.2.10' };
    const first = await clickBehind(await visit('/c/10?aff_id=7', { headers: visitor }));
    const second = await clickBehind(await visit('/c/10?aff_id=7', { headers: visitor }));
    const otherAgent = await clickBehind(
      await visit('/c/10?aff_id=7', { headers: { ...visitor, 'user-agent': `${visitor['user-agent']} other` } }),
    );
    const otherOffer = await clickBehind(await visit('/c/11?aff_id=7', { headers: visitor }));
    expect([first, second, otherAgent, otherOffer].map(({ click }) => click.unique)).toEqual([true, false, true, true]);
    expect(second.click.flags).toEqual([]);

    // Redis knows the visitor only by digests keyed with the network's secret: trying every address finds nothing.
    pool ??= new Pool({ connectionString: stack.database.url });
    const { rows } = await pool.query<{ secret: string }>('SELECT visitor_hash_secret AS secret FROM network_settings');
    expect(rows[0].secret.length).toBeGreaterThanOrEqual(32);
    const keyed = visitorDigests('192.0.2.10', visitor['user-agent'], rows[0].secret);
    // What the keys were before they were keyed: plain SHA-1 of the visitor and of the address.
    const unkeyed = { visitor: hash('sha1', `192.0.2.10\n${visitor['user-agent']}`, 'base64url'), address: hash('sha1', '192.0.2.10', 'base64url') };
    const keys = await stack.redis.client.keys(`${stack.redis.prefix}click:*`);
    expect(keys).toContain(`${stack.redis.prefix}click:u:10:7:${keyed.visitor}`);
    expect(keys.some((key) => key.startsWith(`${stack.redis.prefix}click:r:${keyed.address}:`))).toBe(true);
    expect(keys.filter((key) => key.includes(unkeyed.visitor) || key.includes(unkeyed.address))).toEqual([]);
  });

  it('flags the clicks of an IP past the rate limit instead of dropping them', async () => {
    // The limit counts per fixed window (60 s here): seven visits split across two windows would count from zero again.
    const windowLeftMs = 60_000 - (Date.now() % 60_000);
    if (windowLeftMs < 20_000) await delay(windowLeftMs + 100);
    const flags: string[][] = [];
    for (let i = 0; i < 7; i++) {
      const { click } = await clickBehind(
        await visit('/c/10?aff_id=7', { headers: { 'x-forwarded-for': '192.0.2.99', 'user-agent': `${BROWSER} n${i}` } }),
      );
      flags.push(click.flags);
    }
    expect(flags).toEqual([[], [], [], [], [], ['rate_limited'], ['rate_limited']]);
  });

  it.each([
    ['a crawler', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['a link-preview fetcher', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
    ['a script', 'python-requests/2.32.3'],
    ['an operator-listed agent', 'ACME-Scanner/3.0'],
    ['no user agent at all', ''],
  ])('redirects %s but flags the click as a bot', async (_case, userAgent) => {
    const { click } = await clickBehind(await visit('/c/10?aff_id=7', { headers: { 'user-agent': userAgent } }));
    expect(click.flags).toContain('bot');
  });

  it('reads the device from the user agent and ignores a country header that is not a country', async () => {
    const phone = await clickBehind(await visit('/c/10?aff_id=7', { headers: { 'user-agent': IPHONE, 'cf-ipcountry': 'T1' } }));
    expect(phone.click).toMatchObject({ device: 'mobile', country: null, flags: [] });
  });

  it('counts clicks and outcomes in /metrics', async () => {
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/^tracklane_clicks_total\{disposition="accepted",durability="kafka"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^tracklane_click_requests_total\{outcome="bad_request"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^tracklane_spool_depth\{spool="clicks"\} 0$/m);
  });
});
