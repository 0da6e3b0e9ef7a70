import { CatalogAdvertiser, CatalogSnapshot } from '@tracklane/catalog';
import pino from 'pino';
import { PostbackRefusal } from '../refusals';
import { AdvertiserAuthenticator, PostbackCredentials } from './advertiser-authenticator';
import { signPostback } from './canonical-request';

function advertiser(overrides: Partial<CatalogAdvertiser>): CatalogAdvertiser {
  return {
    id: 1,
    name: 'Acme',
    status: 'active',
    postbackToken: 'tok-acme',
    signingSecret: null,
    requireSignature: false,
    ipAllowlist: [],
    paramMapping: {},
    ...overrides,
  };
}

function snapshotOf(...advertisers: CatalogAdvertiser[]): CatalogSnapshot {
  const empty = CatalogSnapshot.empty();
  return new CatalogSnapshot(
    { offers: [], advertisers, affiliates: [], approvals: [], payoutOverrides: [], affiliatePostbacks: [], coupons: [], settings: empty.settings },
    1,
    Date.now(),
  );
}

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const nowSeconds = String(NOW / 1000);

describe('AdvertiserAuthenticator', () => {
  const logger = pino({ level: 'silent' });
  const authenticator = new AdvertiserAuthenticator(300, logger);
  const snapshot = snapshotOf(
    advertiser({ id: 1 }),
    advertiser({ id: 2, postbackToken: 'tok-signed', signingSecret: 's3cret', requireSignature: true }),
    advertiser({ id: 3, postbackToken: 'tok-office', ipAllowlist: ['203.0.113.0/24'] }),
    advertiser({ id: 4, postbackToken: 'tok-optional', signingSecret: 'opt' }),
    advertiser({ id: 5, postbackToken: 'tok-partner', paramMapping: { params: { api_key: 'token' } } }),
  );
  const base: PostbackCredentials = {
    token: 'tok-acme',
    signature: undefined,
    timestamp: undefined,
    clientAddress: '198.51.100.7',
    method: 'GET',
    path: '/postback',
    params: [['click_id', 'c']],
  };

  function reason(credentials: Partial<PostbackCredentials>): string {
    try {
      authenticator.authenticate(snapshot, { ...base, ...credentials }, NOW);
    } catch (error) {
      if (error instanceof PostbackRefusal) return `${error.status} ${error.reason}`;
      throw error;
    }
    return 'accepted';
  }

  function signed(secret: string, timestamp = nowSeconds, params = base.params): Partial<PostbackCredentials> {
    return { signature: signPostback(secret, { ...base, params, timestamp }), timestamp, params };
  }

  it('finds the advertiser by its token', () => {
    expect(authenticator.authenticate(snapshot, base, NOW).advertiser.id).toBe(1);
    expect(reason({ token: undefined })).toBe('401 missing_token');
    expect(reason({ token: 'tok-acme ' })).toBe('401 unknown_token');
  });

  it("finds the token under the partner's own name, only where that advertiser's mapping says so", () => {
    const viaPartnerName = { token: undefined, params: [['click_id', 'c'], ['API_KEY', 'tok-partner']] as [string, string][] };
    expect(authenticator.authenticate(snapshot, { ...base, ...viaPartnerName }, NOW).advertiser.id).toBe(5);
    expect(reason({ token: undefined, params: [['api_key', 'tok-acme']] })).toBe('401 missing_token');
    expect(reason({ token: undefined, params: [['key', 'tok-partner']] })).toBe('401 missing_token');
  });

  it('applies the IP allowlist', () => {
    expect(reason({ token: 'tok-office', clientAddress: '203.0.113.9' })).toBe('accepted');
    expect(reason({ token: 'tok-office' })).toBe('403 ip_not_allowed');
  });

  it('requires a fresh, valid signature when the advertiser says so', () => {
    const token = 'tok-signed';
    expect(reason({ token, ...signed('s3cret') })).toBe('accepted');
    expect(reason({ token, ...signed('s3cret'), signature: `sha256=${signed('s3cret').signature?.toUpperCase()}` })).toBe('accepted');
    expect(reason({ token })).toBe('401 missing_signature');
    expect(reason({ token, ...signed('s3cret'), timestamp: undefined })).toBe('401 missing_timestamp');
    expect(reason({ token, ...signed('s3cret'), timestamp: 'yesterday' })).toBe('401 malformed_timestamp');
    expect(reason({ token, ...signed('s3cret', String(NOW / 1000 - 301)) })).toBe('401 stale_timestamp');
    expect(reason({ token, ...signed('s3cret', String(NOW / 1000 + 301)) })).toBe('401 stale_timestamp');
    expect(reason({ token, ...signed('s3cret', String(NOW / 1000 - 299)) })).toBe('accepted');
    expect(reason({ token, ...signed('wrong') })).toBe('401 bad_signature');
    expect(reason({ token, ...signed('s3cret'), params: [['click_id', 'tampered']] })).toBe('401 bad_signature');
    expect(reason({ token, ...signed('s3cret'), signature: 'abc' })).toBe('401 bad_signature');
  });

  it('checks a signature it was not obliged to check, but does not ask for one', () => {
    expect(reason({ token: 'tok-optional' })).toBe('accepted');
    expect(reason({ token: 'tok-optional', ...signed('opt') })).toBe('accepted');
    expect(reason({ token: 'tok-optional', ...signed('other') })).toBe('401 bad_signature');
  });
});
