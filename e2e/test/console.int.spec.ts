import { dataOf, managementClient, ManagementClient } from '@tracklane/api-client';
import { waitFor, WORKSPACE_ROOT } from '@tracklane/testing';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startWholePlatform, WholePlatform } from '../support/whole-platform';

const run = promisify(execFile);
/** Debian's Chromium (infra/test.sh installs it when missing); browsers cannot be downloaded here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where each main page's screenshot goes (the README shows copies kept in docs/console). */
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS_DIR ?? join(WORKSPACE_ROOT, 'dist/console-screenshots');
const BROWSER_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

/**
 * The operator console in a real headless Chromium, against every service as
 * a process: an admin sets up a network through the console's forms, an
 * affiliate builds its link, a visitor clicks, the advertiser tests and sends
 * its postback, and the dashboard, reports and conversions show it — then a
 * refund reverses it. Each role sees what its key may see; an affiliate never
 * sees revenue.
 */
describe('the operator console in a browser', () => {
  let world: WholePlatform;
  let admin: ManagementClient;
  let browser: Browser;
  let page: Page;
  let assetsDir: string;
  let consoleUrl: string;
  const keys = { admin: '', affiliate: '', advertiser: '' };
  const ids = { advertiser: 0, offer: 0, affiliate: 0 };
  let postbackToken = '';
  let trackingLink = '';
  let clickId = '';

  beforeAll(async () => {
    assetsDir = mkdtempSync(join(tmpdir(), 'tracklane-console-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    // The web app as `npm run up` builds it, into a folder of this run's own.
    await run(process.execPath, [join(WORKSPACE_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/console/web/vite.config.mts', '--outDir', assetsDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: WORKSPACE_ROOT,
    });
    world = await startWholePlatform({ console: { assetsDir } });
    keys.admin = world.adminKey;
    consoleUrl = world.url('console');
    admin = managementClient({ baseUrl: world.url('management'), apiKey: world.adminKey });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // A fresh profile per launch (Playwright's own temporary user data dir); no network beyond this machine.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC' });
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.stop();
    rmSync(assetsDir, { recursive: true, force: true });
  });

  async function signIn(key: string) {
    await page.goto(consoleUrl);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').waitFor();
  }

  async function signOut() {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
  }

  async function open(title: string) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: title, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
  }

  /** Opens a "create" form (a details element) unless it is open already. */
  async function expand(summary: string, within: Page | Locator = page) {
    const details = within.locator('details', { has: page.locator('summary', { hasText: summary }) }).last();
    if ((await details.getAttribute('open')) === null) await details.locator('summary').first().click();
  }

  /** An offer's row and the details row under it (the table groups each offer's two rows in a rowgroup of its own). */
  function offerRows(name: string): Locator {
    return page.getByRole('rowgroup').filter({ has: page.getByRole('cell', { name, exact: true }) });
  }

  /** Opens a row's details (a disclosure button in the row, its content in the row under it) unless they are open already. */
  async function disclose(name: string, within: Locator) {
    const toggle = within.getByRole('button', { name });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  }

  async function screenshot(name: string) {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  /** Reloads the page until `check` passes: the console shows what the APIs say, which follow the ledger within seconds. */
  async function eventually(check: () => Promise<void>, what: string) {
    await waitFor(
      async () => {
        try {
          await check();
          return true;
        } catch {
          await page.reload();
          return false;
        }
      },
      { timeoutMs: 60_000, intervalMs: 1_000, what },
    );
  }

  it('refuses a wrong key and signs an admin in, keeping the key in session storage only', async () => {
    await page.goto(consoleUrl);
    await page.getByLabel('API key').fill('tl_wrong_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), /not valid/);
    await screenshot('sign-in');

    await signIn(keys.admin);
    await expectText(page.getByTestId('who'), /Network admin/);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    expect(await page.evaluate(`sessionStorage.getItem('tracklane.apiKey')`)).toBe(keys.admin);
  });

  it('creates an advertiser, showing its postback token once', async () => {
    await open('Advertisers');
    await expand('New advertiser');
    await page.getByLabel('Name').fill('Acme Shoes');
    await page.getByRole('button', { name: 'Create' }).click();
    postbackToken = (await page.getByTestId('shown-once').first().textContent()) ?? '';
    expect(postbackToken).toMatch(/^\S{16,}$/);
    await page.getByRole('cell', { name: 'Acme Shoes' }).waitFor();
    ids.advertiser = dataOf(await admin.GET('/v1/advertisers', {})).data.find((advertiser) => advertiser.name === 'Acme Shoes')?.id ?? 0;
    expect(ids.advertiser).toBeGreaterThan(0);
    await screenshot('advertisers');
  });

  it('creates an advertiser on a partner’s format and shows it the call in that format', async () => {
    await expand('New advertiser');
    await page.getByLabel('Name').fill('Puzzle Games');
    await page.getByLabel('Postbacks come in the format of').selectOption('appsflyer');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('cell', { name: 'Puzzle Games' }).waitFor();
    const puzzle = dataOf(await admin.GET('/v1/advertisers', {})).data.find((advertiser) => advertiser.name === 'Puzzle Games');
    expect(puzzle?.paramMapping).toEqual({ preset: 'appsflyer' });

    await open('Postback setup');
    await page.getByLabel('Advertiser').selectOption(String(puzzle?.id));
    await expectText(page.getByTestId('preset-request'), /AppsFlyer/);
    await expectText(page.getByTestId('preset-request').locator('code'), new RegExp(`^${world.url('postback-ingest')}/`));
  });

  it('creates an offer, warning when its destination has no {click_id} and naming the field the API refused', async () => {
    await open('Offers');
    await expand('New offer');
    await page.getByLabel('Advertiser').selectOption(String(ids.advertiser));
    await page.getByLabel('Name', { exact: true }).fill('Running shoes');
    const destination = page.getByLabel('Destination URL');
    await destination.fill('https://shop.example/landing?s1={sub1}');
    await expectText(page.getByRole('alert'), /no \{click_id\}/);

    // The API's refusal is shown beside its field.
    await destination.fill('ftp://shop.example/landing?cid={click_id}');
    await page.getByRole('button', { name: 'Create' }).click();
    await expectText(page.getByRole('alert').filter({ hasText: 'destinationUrl' }), /destinationUrl/);

    await destination.fill('https://shop.example/landing?cid={click_id}&s1={sub1}');
    await page.getByRole('button', { name: 'Create' }).click();
    const row = offerRows('Running shoes');
    await row.waitFor();
    ids.offer = Number(await row.getByRole('cell').first().textContent());

    await disclose('Goals and actions', row);
    await expand('New goal', row);
    await row.getByLabel('Code (what postbacks send as goal=)').fill('sale');
    await row.getByLabel('Name', { exact: true }).fill('Sale');
    await row.getByLabel('Revenue is').selectOption('percent');
    await row.getByLabel('Revenue', { exact: true }).fill('10');
    await row.getByLabel('Payout', { exact: true }).fill('2.50');
    await row.getByRole('button', { name: 'Create' }).click();
    await row.getByRole('cell', { name: '10 %' }).waitFor();
    await screenshot('offers');
  });

  it('creates an affiliate, approves it on the offer, and issues keys for both partners', async () => {
    await open('Affiliates');
    await expand('New affiliate');
    await page.getByLabel('Name').fill('Coupon Heroes');
    await page.getByLabel('Postback URL').fill(`${world.affiliateServer.url}/pb?cid={click_id}&status={status}&payout={payout}`);
    await page.getByRole('button', { name: 'Create' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Coupon Heroes' });
    await row.waitFor();
    ids.affiliate = Number(await row.getByRole('cell').first().textContent());

    await open('Approvals');
    await expand("Set an affiliate's standing on an offer");
    await page.getByLabel('Offer id').fill(String(ids.offer));
    await page.getByLabel('Affiliate id').fill(String(ids.affiliate));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByLabel('Show').selectOption('approved');
    await page.getByRole('row').filter({ hasText: 'approved' }).first().waitFor();

    await open('API keys');
    keys.affiliate = await issueKey('Coupon Heroes reports', 'affiliate', ids.affiliate);
    keys.advertiser = await issueKey('Acme developer', 'advertiser', ids.advertiser);
    await screenshot('api-keys');
  });

  async function issueKey(name: string, role: string, ownerId: number): Promise<string> {
    await expand('Issue a key');
    await page.getByLabel('Name (who or what uses it)').fill(name);
    await page.getByLabel('Role').selectOption(role);
    await page.getByLabel(role === 'affiliate' ? 'Affiliate id' : 'Advertiser id').fill(String(ownerId));
    await page.getByRole('button', { name: 'Issue' }).click();
    await page.getByRole('cell', { name }).waitFor();
    const key = (await page.getByTestId('shown-once').textContent()) ?? '';
    expect(key).toMatch(/^tl_/);
    return key;
  }

  it('lets the affiliate build its tracking link, and a visitor’s click is redirected with a click id', async () => {
    await signOut();
    await signIn(keys.affiliate);
    await expectText(page.getByTestId('who'), new RegExp(`Affiliate ${ids.affiliate}`));
    await open('Tracking links');
    await page.getByLabel('Offer', { exact: true }).selectOption(String(ids.offer));
    await page.getByLabel('sub1').fill('spring');
    await page.getByRole('button', { name: 'Build link' }).click();
    const link = (await page.getByTestId('tracking-link').textContent()) ?? '';
    expect(link).toContain(`/c/${ids.offer}?aff_id=${ids.affiliate}&sub1=spring`);
    await screenshot('tracking-links');
    // The traffic source fills what it has and drops the other placeholders.
    trackingLink = link.replace(/&[a-z_0-9]+=\{[a-z_0-9]+\}/g, '');

    const location = await waitFor(
      async () => {
        const response = await fetch(trackingLink, { redirect: 'manual', headers: { 'user-agent': BROWSER_USER_AGENT } });
        const target = response.headers.get('location') ?? '';
        return response.status === 302 && target.startsWith('https://shop.example/') ? target : undefined;
      },
      { timeoutMs: 30_000, what: 'a 302 to the offer' },
    );
    clickId = new URL(location).searchParams.get('cid') ?? '';
    expect(clickId).toMatch(/^[0-9a-hjkmnp-tv-z]{30}$/);
  });

  it('shows the advertiser its postback URL and reads a test postback without booking it', async () => {
    await signOut();
    await signIn(keys.advertiser);
    await open('Postback setup');
    await expectText(page.getByTestId('postback-url'), new RegExp(postbackToken));
    await page.getByLabel(/The postback as your server would call it/).fill(`?token=${postbackToken}&click_id=${clickId}&order_id=A-1&amount=120.00&currency=USD&goal=sale`);
    await page.getByRole('button', { name: 'Test it' }).click();
    await expectText(page.getByTestId('dry-run'), /accepted/);
    await screenshot('postback-setup');
    // Nothing was booked by the test.
    expect(dataOf(await admin.GET('/v1/conversions', { params: { query: { offer_id: ids.offer } } })).data).toHaveLength(0);
  });

  it('shows the conversion on the admin’s dashboard, reports and conversions once the advertiser’s server posts it', async () => {
    const postback = await fetch(
      `${world.url('postback-ingest')}/postback?token=${postbackToken}&click_id=${clickId}&order_id=A-1&amount=120.00&currency=USD&goal=sale`,
    );
    expect(postback.status).toBe(200);

    await signOut();
    await signIn(keys.admin);
    await eventually(async () => {
      await expectText(page.locator('[data-metric="conversions"] .value'), /^1\b/, 1_000);
      await expectText(page.locator('[data-metric="revenue"] .value'), /^12\.00 USD/, 1_000);
      await expectText(page.locator('[data-metric="payout"] .value'), /^2\.50 USD/, 1_000);
    }, 'the conversion on the dashboard');
    await page.getByRole('cell', { name: `${ids.offer} · Running shoes` }).waitFor();
    await screenshot('dashboard');

    await page.goto(`${consoleUrl}/reports?group_by=offer&offer_id=${ids.offer}&sort=-revenue`);
    const reportRow = page.getByRole('table').first().getByRole('row').filter({ hasText: 'Running shoes' });
    await expectText(reportRow.locator('[data-label="revenue"]'), /^12\.00$/);
    await expectText(reportRow.locator('[data-label="payout"]'), /^2\.50$/);
    expect(await page.getByLabel('offer', { exact: true }).isChecked()).toBe(true);
    await screenshot('reports');
  });

  it('shows a refund reversed: the conversion refunded, reports back to zero, ledger and reports balanced', async () => {
    const refund = await fetch(`${world.url('postback-ingest')}/postback?token=${postbackToken}&click_id=${clickId}&order_id=A-1&goal=sale&status=refunded`);
    expect(refund.status).toBe(200);

    await open('Conversions');
    await eventually(async () => {
      await expectText(page.getByRole('row').filter({ hasText: clickId }).locator('[data-label="Status"]'), /refunded/, 1_000);
    }, 'the refund in the conversions');
    await screenshot('conversions');

    await page.goto(`${consoleUrl}/reports?group_by=offer&offer_id=${ids.offer}&metrics=conversions,refunded_conversions,revenue,payout`);
    await eventually(async () => {
      const row = page.getByRole('table').first().getByRole('row').filter({ hasText: 'Running shoes' });
      await expectText(row.locator('[data-label="refunded_conversions"]'), /^1$/, 1_000);
      await expectText(row.locator('[data-label="revenue"]'), /^0\.00$/, 1_000);
    }, 'the refund in the report');

    await open('Reconciliation');
    await expectText(page.getByTestId('balanced'), /equal the ledger/);
    await screenshot('reconciliation');
    // The affiliate's server heard of the sale (it asked for approved conversions only).
    await open('Deliveries');
    await page.getByRole('row').filter({ hasText: 'delivered' }).first().waitFor();
    await screenshot('deliveries');
  });

  it('never shows an affiliate revenue: not on its dashboard, reports or conversions', async () => {
    await signOut();
    await signIn(keys.affiliate);
    await page.locator('[data-metric="payout"]').waitFor();
    expect(await page.locator('[data-metric="revenue"], [data-metric="profit"]').count()).toBe(0);

    await page.goto(`${consoleUrl}/reports?group_by=offer`);
    await page.getByRole('table').first().waitFor();
    const headers = await page.getByRole('table').first().getByRole('columnheader').allTextContents();
    expect(headers.join(' ')).toMatch(/payout/);
    expect(headers.join(' ')).not.toMatch(/revenue|profit|rpc/);

    await open('Conversions');
    await page.getByRole('row').filter({ hasText: clickId }).waitFor();
    const conversionHeaders = (await page.getByRole('columnheader').allTextContents()).join(' ');
    expect(conversionHeaders).toMatch(/Payout/);
    expect(conversionHeaders).not.toMatch(/Revenue|Sale/);
    expect(await page.content()).not.toContain('12.00');
  });

  it('lets the admin give the affiliate promo codes (naming the line the API refused) and let codes win on the offer; the affiliate sees them read-only', async () => {
    await signOut();
    await signIn(keys.admin);
    await open('Promo codes');
    await expand('Give an affiliate promo codes');
    await page.getByLabel('Affiliate id').fill(String(ids.affiliate));
    await page.getByLabel('Offer id (empty: network-wide)').fill(String(ids.offer));
    const codes = page.getByLabel('Codes, one a line');
    // Codes match regardless of case: the last line repeats the one before, and nothing is created.
    await codes.fill('SPRING10\n\nSAVE20\nsave20');
    await page.getByRole('button', { name: 'Create' }).click();
    await expectText(page.getByRole('alert'), /^Conflicts with the current state/);
    await expectText(page.getByTestId('refused-lines'), /^Line 4 \(save20\): "save20" repeats line 3 \("SAVE20"\)/);
    await screenshot('promo-codes-refused');

    await codes.fill('SPRING10\nSAVE20');
    await page.getByRole('button', { name: 'Create' }).click();
    await expectText(page.getByRole('status'), /^Created 2 codes: SPRING10, SAVE20$/);
    for (const code of ['SPRING10', 'SAVE20']) {
      const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: code, exact: true }) });
      await expectText(row.locator('[data-label="Affiliate"]'), new RegExp(`^${ids.affiliate}$`));
      await expectText(row.locator('[data-label="Offer"]'), new RegExp(`^${ids.offer}$`));
    }
    expect(await page.getByRole('table').getByRole('row').count()).toBe(3);
    await screenshot('promo-codes');

    await open('Offers');
    const offer = offerRows('Running shoes');
    await disclose('Goals and actions', offer);
    await offer.getByLabel('A postback with both a click and a promo code goes to').selectOption('coupon');
    await waitFor(async () => dataOf(await admin.GET('/v1/offers/{offerId}', { params: { path: { offerId: ids.offer } } })).couponPrecedence === 'coupon', {
      timeoutMs: 10_000,
      what: "the offer's coupon precedence",
    });

    await signOut();
    await signIn(keys.affiliate);
    await open('Promo codes');
    await page.getByRole('cell', { name: 'SAVE20', exact: true }).waitFor();
    expect(await page.getByRole('table').getByRole('row').count()).toBe(3);
    expect(await page.getByText('Give an affiliate promo codes').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await page.getByLabel('Code', { exact: true }).fill('save20');
    await page.getByRole('cell', { name: 'SPRING10' }).waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'SAVE20', exact: true }).waitFor();
  });

  it('lets the admin set how long visitor data is kept (naming the field the API refused) and erase the visitor of a click', async () => {
    await signOut();
    await signIn(keys.admin);
    await open('Privacy');
    const postbackLogDays = page.getByLabel('Inbound postback log kept (days)');
    await postbackLogDays.fill('14');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(page.getByRole('status'), /^Saved at /);
    expect(await postbackLogDays.inputValue()).toBe('14');
    expect(dataOf(await admin.GET('/v1/network-settings')).postbackLogRetentionDays).toBe(14);

    // The offer attributes conversions to clicks days old: keeping clicks one day is refused, on its field.
    const clickDays = page.getByLabel('Clicks kept (days)');
    await clickDays.fill('1');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(page.locator('.field', { has: clickDays }).locator('.field-error'), new RegExp(`^must be at least \\d+: offer ${ids.offer} attributes conversions`));
    expect(await clickDays.getAttribute('aria-invalid')).toBe('true');
    expect(dataOf(await admin.GET('/v1/network-settings')).clickRetentionDays).toBeNull();

    await expand('Erase a visitor');
    await page.getByLabel('Click id').fill(clickId);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Erase' }).click();
    // One click, its row in reports, and the two postbacks that named it (the sale and its refund).
    await expectText(page.getByTestId('erasure-counts'), /^Clicks found1Click rows changed1Report click rows changed1Inbound postbacks changed2/);
    await screenshot('privacy');
  });

  it('lets the admin target the offer and send the visitors it does not take to another offer, naming the list the API refused', async () => {
    const trail = dataOf(
      await admin.POST('/v1/offers', { body: { advertiserId: ids.advertiser, name: 'Trail shoes', destinationUrl: 'https://shop.example/trail?cid={click_id}' } }),
    );
    await open('Offers');
    // By its name cell: the other offer's details name this one among its alternatives.
    const offer = offerRows('Running shoes');
    await disclose('Goals and actions', offer);
    const countries = offer.getByLabel('Countries it takes');
    await countries.fill('de, XX');
    await offer.getByRole('group', { name: 'Devices' }).getByLabel('mobile').check();
    await offer.getByLabel('Visitors it does not take go to').selectOption(String(trail.id));
    await offer.getByRole('button', { name: 'Save targeting' }).click();
    await expectText(offer.locator('.field', { has: page.getByLabel('Countries it takes') }).locator('.field-error'), /^"XX" must be an ISO 3166-1 alpha-2 country code/);
    expect(await countries.getAttribute('aria-invalid')).toBe('true');
    expect(dataOf(await admin.GET('/v1/offers/{offerId}', { params: { path: { offerId: ids.offer } } })).targeting).toBeNull();

    await countries.fill('de, at');
    await offer.getByRole('button', { name: 'Save targeting' }).click();
    await expectText(offer.getByRole('status'), /^Saved: takes countries DE, AT; mobile\.$/);
    const saved = dataOf(await admin.GET('/v1/offers/{offerId}', { params: { path: { offerId: ids.offer } } }));
    expect(saved.targeting).toEqual({ countries: ['DE', 'AT'], devices: ['mobile'] });
    expect(saved.alternativeOfferId).toBe(trail.id);
    await screenshot('offers-targeting');
  });

  it('shows the advertiser its landing-page script at click-ingest’s address, and lets the admin register an affiliate’s referrer domains', async () => {
    await signOut();
    await signIn(keys.advertiser);
    await open('Direct linking');
    await page.getByLabel('Offer', { exact: true }).selectOption(String(ids.offer));
    const script = `${world.url('click-ingest')}/dl.js`;
    await expectText(page.getByTestId('direct-link-snippet'), new RegExp(`^${escape(`<script async src="${script}" data-offer="${ids.offer}"></script>`)}$`));
    const days = page.getByLabel('Cookie lifetime in days (data-days)');
    await days.fill('0');
    await expectText(page.locator('.field', { has: days }).locator('.field-error'), /^a whole number of days/);
    await days.fill('90');
    await expectText(page.getByTestId('direct-link-snippet'), /data-offer="\d+" data-days="90"><\/script>$/);
    await page.getByLabel('Affiliate id').fill(String(ids.affiliate));
    await page.getByLabel('sub1').fill('summer');
    await expectText(page.getByTestId('landing-page-example'), new RegExp(`^https://shop\\.example/…\\?aff_id=${ids.affiliate}&sub1=summer$`));
    // The script the snippet names is click-ingest's own.
    const served = await fetch(script);
    expect([served.status, served.headers.get('content-type')]).toEqual([200, expect.stringMatching(/javascript/)]);
    expect(await served.text()).toContain('/v1/direct-clicks');
    expect(await page.getByText('Affiliates’ referrer domains').count()).toBe(0);
    await screenshot('direct-linking');

    await signOut();
    await signIn(keys.admin);
    await open('Direct linking');
    await page.getByLabel('Affiliate', { exact: true }).selectOption(String(ids.affiliate));
    const domains = page.getByLabel('Referrer domains of Coupon Heroes, one a line');
    await domains.fill('coupons.example\nnot a host');
    await page.getByRole('button', { name: 'Save domains' }).click();
    await expectText(page.locator('.field', { has: domains }).locator('.field-error'), /host names such as coupons\.example/);
    await domains.fill('coupons.example\n\nblog.example');
    await page.getByRole('button', { name: 'Save domains' }).click();
    await expectText(page.getByRole('status'), /^Saved\.$/);
    await page.getByRole('cell', { name: 'coupons.example, blog.example' }).waitFor();
    expect(dataOf(await admin.GET('/v1/affiliates/{affiliateId}', { params: { path: { affiliateId: ids.affiliate } } })).referrerDomains).toEqual(['coupons.example', 'blog.example']);
  });

  it('uploads an advertiser’s offline conversions file and shows each row’s answer by its line', async () => {
    await open('Offline conversions');
    await page.getByLabel('Advertiser').selectOption(String(ids.advertiser));
    const file = `click_id,order_id,amount,currency,goal\n${clickId},TILL-1,49.90,USD,sale\n${clickId},TILL-2,ten,USD,sale\n`;
    await page.getByLabel('Conversions file (CSV)').setInputFiles({ name: 'till.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expectText(page.getByTestId('upload-summary'), /^2 rows: 1 accepted, 0 duplicates, 1 refused, 0 not tried\.$/);
    const line = (n: number) => page.getByRole('row').filter({ has: page.locator('[data-label="Line"]', { hasText: new RegExp(`^${n}$`) }) });
    await expectText(line(2).locator('[data-label="Outcome"]'), /^accepted$/);
    await expectText(line(2).locator('[data-label="Order id"]'), /^TILL-1$/);
    await expectText(line(3).locator('[data-label="Outcome"]'), /^refused$/);
    await expectText(line(3).locator('[data-label="Conversion, or field and reason"]'), /^amount: must be a decimal number/);
    await screenshot('conversion-upload');
    await waitFor(async () => dataOf(await admin.GET('/v1/conversions', { params: { query: { offer_id: ids.offer } } })).data.some((conversion) => conversion.orderId === 'TILL-1'), {
      timeoutMs: 30_000,
      what: 'the uploaded conversion booked',
    });

    // The same file again books nothing twice.
    await page.getByRole('button', { name: 'Upload' }).click();
    await expectText(page.getByTestId('upload-summary'), /^2 rows: 0 accepted, 1 duplicate, 1 refused, 0 not tried\.$/);
  });

  it('fits a phone’s width: the menu folds away and tables show each cell with its column', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(consoleUrl);
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Menu' }).click();
    await open('Dashboard');
    await page.locator('[data-metric="clicks"]').waitFor();
    await screenshot('dashboard-phone');
  });
});

/** A literal string as a regular expression. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Waits until a locator's text matches (Playwright's locators wait; this adds the match). */
async function expectText(locator: Locator, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  for (;;) {
    text = ((await locator.first().textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => '')) ?? '').trim();
    if (pattern.test(text)) return;
    if (Date.now() > deadline) throw new Error(`expected ${String(locator)} to match ${pattern}, was "${text}"`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
