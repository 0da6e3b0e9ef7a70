import { ConfigError, loadEnv } from '@tracklane/config';
import { allowedTargetList } from '@tracklane/address-policy';
import { DispatchEnv } from './dispatch-env';

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
      POSTBACK_ALLOWED_TARGETS: '',
      SHUTDOWN_GRACE_MS: 45_000,
    });
    expect(env.SHUTDOWN_GRACE_MS).toBeGreaterThan(env.POSTBACK_TIMEOUT_MS);
  });

  it('reads the allow-list of scheme://host:port targets', () => {
    const env = loadEnv(DispatchEnv, { POSTBACK_ALLOWED_TARGETS: 'http://127.0.0.1:8086, https://hooks.internal' });
    expect(allowedTargetList(env.POSTBACK_ALLOWED_TARGETS)).toEqual(['http://127.0.0.1:8086', 'https://hooks.internal']);
  });

  it('names a bad allow-list entry and a bad number', () => {
    expect(problems({ POSTBACK_ALLOWED_TARGETS: 'http://127.0.0.1:8086,127.0.0.1', POSTBACK_MAX_ATTEMPTS: '0' })).toEqual([
      'POSTBACK_MAX_ATTEMPTS must not be less than 1',
      'POSTBACK_ALLOWED_TARGETS must list scheme://host:port entries: "127.0.0.1" is not scheme://host:port, e.g. http://127.0.0.1:8086',
    ]);
  });

  it('refuses the host-only allow-list it replaces, rather than ignore it', () => {
    expect(problems({ POSTBACK_ALLOWED_HOSTS: '127.0.0.1' })).toEqual([
      'POSTBACK_ALLOWED_HOSTS was replaced by POSTBACK_ALLOWED_TARGETS: list scheme://host:port entries, e.g. http://127.0.0.1:8086',
    ]);
  });
});
