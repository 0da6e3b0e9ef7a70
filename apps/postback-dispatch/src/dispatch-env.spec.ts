import { ConfigError, loadEnv } from '@tracklane/config';
import { allowedTargets, DispatchEnv } from './dispatch-env';

function problems(source: NodeJS.ProcessEnv): string[] {
  try {
    loadEnv(DispatchEnv, source);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('DispatchEnv', () => {
  it('defaults to production delays, no private targets, and a grace period longer than one attempt', () => {
    const env = loadEnv(DispatchEnv, {});
    expect(env).toMatchObject({
      POSTBACK_TIMEOUT_MS: 10_000,
      POSTBACK_MAX_ATTEMPTS: 10,
      POSTBACK_RETRY_BASE_MS: 30_000,
      POSTBACK_ALLOWED_HOSTS: '',
      SHUTDOWN_GRACE_MS: 45_000,
    });
    expect(env.SHUTDOWN_GRACE_MS).toBeGreaterThan(env.POSTBACK_TIMEOUT_MS);
  });

  it('reads the allow-list of hosts, addresses and ranges', () => {
    const env = loadEnv(DispatchEnv, { POSTBACK_ALLOWED_HOSTS: '127.0.0.1, 10.0.0.0/8,hooks.internal' });
    expect(allowedTargets(env.POSTBACK_ALLOWED_HOSTS)).toEqual(['127.0.0.1', '10.0.0.0/8', 'hooks.internal']);
  });

  it('names a bad allow-list entry and a bad number', () => {
    expect(problems({ POSTBACK_ALLOWED_HOSTS: '127.0.0.1,http://evil', POSTBACK_MAX_ATTEMPTS: '0' })).toEqual([
      'POSTBACK_MAX_ATTEMPTS must not be less than 1',
      'POSTBACK_ALLOWED_HOSTS must list host names, IP addresses or CIDR ranges: "http://evil" is neither a host name, an IP address nor a CIDR range',
    ]);
  });
});
