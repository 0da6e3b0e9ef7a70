import { execFileSync } from 'node:child_process';
import { demoInstructions } from './demo-instructions';

const demo = {
  advertiser: { id: 1, name: 'Demo Shop', postbackToken: 'tok-EN_1' },
  offers: [
    { id: 11, name: 'Sneakers', goals: ['sale', 'lead'] },
    { id: 12, name: 'App', goals: ['install'] },
  ],
  affiliates: [
    { id: 21, name: 'Demo Publisher', postbackUrl: 'http://127.0.0.1:8086/postback?click_id={click_id}' },
    { id: 22, name: 'Demo Media Buyer', postbackUrl: null },
  ],
  keys: { admin: 'tl_aaaaaaaa_admin', advertiser: 'tl_bbbbbbbb_adv', affiliate: 'tl_cccccccc_aff' },
};
const urls = {
  clickIngestUrl: 'http://127.0.0.1:8080',
  postbackIngestUrl: 'http://127.0.0.1:8081',
  reportingUrl: 'http://127.0.0.1:8083',
  managementUrl: 'http://127.0.0.1:8082',
};

describe('demo instructions', () => {
  const text = demoInstructions(demo, urls, new Date('2025-03-30T10:00:00Z'));

  it('can be sourced by a shell, giving scripts every URL and key', () => {
    const script = `${text}\nprintf '%s\\n' "$DEMO_TRACKING_LINK" "$DEMO_POSTBACK_URL" "$DEMO_REPORT_URL" "$DEMO_AFFILIATE_KEY" "$DEMO_OFFER_ID"`;
    const values = execFileSync('bash', ['-c', script], { encoding: 'utf8' }).trim().split('\n');
    expect(values).toEqual([
      'http://127.0.0.1:8080/c/11?aff_id=21&sub1=demo',
      'http://127.0.0.1:8081/postback?click_id={click_id}&token=tok-EN_1&goal=sale&amount=50.00&currency=USD&order_id=demo-order-1',
      'http://127.0.0.1:8083/v1/reports/stats?from=2025-03-30T00:00:00Z&to=2025-03-31T00:00:00Z&group_by=offer',
      'tl_cccccccc_aff',
      '11',
    ]);
  });

  it('explains each step to a person', () => {
    expect(text).toContain('# 1. Click the tracking link of "Demo Publisher" for "Sneakers"');
    expect(text).toMatch(/^DEMO_AFFILIATE_POSTBACK_URL='http:\/\/127.0.0.1:8086\/postback\?click_id=\{click_id\}'$/m);
    expect(text).toMatch(/^DEMO_REFUND_URL='.*&status=refunded'$/m);
    // curl's own user agent is a bot's: the walkthrough's click must look like a browser's.
    expect(text).toContain('curl -s -A "Mozilla/5.0');
  });
});
