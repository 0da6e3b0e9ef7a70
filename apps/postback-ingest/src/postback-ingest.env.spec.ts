import { ConfigError, loadEnv } from '@tracklane/config';
import { PostbackIngestEnv } from './postback-ingest.env';

function problems(source: NodeJS.ProcessEnv): string[] {
  try {
    loadEnv(PostbackIngestEnv, source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('PostbackIngestEnv', () => {
  it('has defaults that need no secret', () => {
    const env = loadEnv(PostbackIngestEnv, {});
    expect(env).toMatchObject({ SIGNATURE_WINDOW_SECONDS: 300, PUBLISH_TIMEOUT_MS: 5_000, RECEIPT_LEASE_MS: 60_000, TRUSTED_PROXIES: '', DB_POOL_SIZE: 8 });
  });

  it('accepts addresses and CIDR ranges as trusted proxies and names the variable otherwise', () => {
    expect(problems({ TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.7,2001:db8::/32' })).toEqual([]);
    expect(problems({ TRUSTED_PROXIES: '10.0.0.0/8,load-balancer.internal' })).toEqual([
      'TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR ranges',
    ]);
  });

  it('refuses windows and timeouts that make no sense', () => {
    expect(problems({ SIGNATURE_WINDOW_SECONDS: '0', PUBLISH_TIMEOUT_MS: '5', DB_POOL_SIZE: '1' })).toHaveLength(3);
  });
});
