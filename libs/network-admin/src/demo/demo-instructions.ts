import { DemoNetwork } from './demo-network';

export interface DemoUrls {
  clickIngestUrl: string;
  postbackIngestUrl: string;
  reportingUrl: string;
  managementUrl: string;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The demo walkthrough: comment lines for people, NAME='value' lines for
 * scripts (the file can be sourced by a shell).
 */
export function demoInstructions(demo: DemoNetwork, urls: DemoUrls, now = new Date()): string {
  const [sneakers, app] = demo.offers;
  const [publisher, mediaBuyer] = demo.affiliates;
  const token = encodeURIComponent(demo.advertiser.postbackToken);
  const postback = `${urls.postbackIngestUrl}/postback?click_id={click_id}&token=${token}&goal=sale&amount=50.00&currency=USD&order_id=demo-order-1`;
  const today = day(now);
  const tomorrow = day(new Date(now.getTime() + 86_400_000));
  const period = `from=${today}T00:00:00Z&to=${tomorrow}T00:00:00Z`;
  const lines = [
    `# Tracklane demo network (seeded ${now.toISOString()}).`,
    '# Re-running the seed keeps the network, its ids and its postback token, and issues new demo',
    '# API keys (the previous ones are revoked: keys are shown only once).',
    '#',
    `# 1. Click the tracking link of "${publisher.name}" for "${sneakers.name}": click-ingest answers 302`,
    '#    and the Location header carries the click id. Send a browser\'s user agent: curl\'s own is flagged',
    '#    as a bot, and the demo network rejects conversions of bot clicks.',
    '#    CLICK_ID=$(curl -s -A "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0" -o /dev/null -w "%{redirect_url}" \\',
    '#      "$DEMO_TRACKING_LINK" | sed -E "s/.*click_id=([^&]+).*/\\1/")',
    `DEMO_TRACKING_LINK='${urls.clickIngestUrl}/c/${sneakers.id}?aff_id=${publisher.id}&sub1=demo'`,
    '# 2. Report the sale as the advertiser\'s server would, with that click id in place of {click_id}:',
    '#    curl -s "${DEMO_POSTBACK_URL/\\{click_id\\}/$CLICK_ID}"   (revenue 12 % = 6.00, payout 9 % = 4.50)',
    `DEMO_POSTBACK_URL='${postback}'`,
    '# 3. Later, refund it (the same order with status=refunded) and watch everything reverse:',
    `DEMO_REFUND_URL='${postback}&status=refunded'`,
    `# 4. "${publisher.name}" hears of each decision on the local demo receiver, at:`,
    `DEMO_AFFILIATE_POSTBACK_URL='${publisher.postbackUrl ?? ''}'`,
    '# 5. Reports (reporting API), e.g.  curl -s -H "Authorization: Bearer $DEMO_ADMIN_KEY" "$DEMO_REPORT_URL"',
    `DEMO_REPORT_URL='${urls.reportingUrl}/v1/reports/stats?${period}&group_by=offer'`,
    `DEMO_CONVERSIONS_URL='${urls.reportingUrl}/v1/reports/conversions?${period}'`,
    '#    and whether the reports equal the ledger to the cent:',
    `DEMO_RECONCILIATION_URL='${urls.reportingUrl}/v1/reconciliation?${period}'`,
    `# API keys for the demo (admin; advertiser "${demo.advertiser.name}"; affiliate "${publisher.name}"):`,
    `DEMO_ADMIN_KEY='${demo.keys.admin}'`,
    `DEMO_ADVERTISER_KEY='${demo.keys.advertiser}'`,
    `DEMO_AFFILIATE_KEY='${demo.keys.affiliate}'`,
    `# Management API (OpenAPI at ${urls.managementUrl}/docs), e.g. the affiliate's own link builder:`,
    `#    curl -s -H "Authorization: Bearer $DEMO_AFFILIATE_KEY" ${urls.managementUrl}/v1/offers/${sneakers.id}/tracking-link?sub1=demo`,
    `DEMO_MANAGEMENT_URL='${urls.managementUrl}'`,
    `DEMO_ADVERTISER_ID=${demo.advertiser.id}`,
    `DEMO_POSTBACK_TOKEN='${demo.advertiser.postbackToken}'`,
    `DEMO_OFFER_ID=${sneakers.id}`,
    `DEMO_PUBLIC_OFFER_ID=${app.id}`,
    `DEMO_AFFILIATE_ID=${publisher.id}`,
    `DEMO_PENDING_AFFILIATE_ID=${mediaBuyer.id}`,
  ];
  return `${lines.join('\n')}\n`;
}
