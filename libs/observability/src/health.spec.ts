import { HealthRegistry } from './health';

describe('readiness', () => {
  const never = () => new Promise<void>(() => undefined);

  it('is not ready while a dependency the service needs fails or does not answer', async () => {
    const registry = new HealthRegistry();
    registry.register({ name: 'postgres', check: async () => Promise.reject(new Error('connection refused')) });
    registry.register({ name: 'kafka', check: never });
    const report = await registry.report(50);
    expect(report.ready).toBe(false);
    expect(report.checks.postgres).toMatchObject({ ok: false, error: 'connection refused' });
    expect(report.checks.kafka).toMatchObject({ ok: false, error: 'kafka did not answer within 50 ms' });
  });

  it('stays ready with a warning while a dependency it carries on without fails or hangs', async () => {
    const registry = new HealthRegistry();
    registry.register({ name: 'redis', optional: true, check: never });
    registry.register({ name: 'cache', optional: true, check: async () => Promise.reject(new Error('ECONNREFUSED')) });
    const report = await registry.report(50);
    expect(report.ready).toBe(true);
    expect(report.checks.redis).toMatchObject({ ok: true, warnings: ['unreachable, carrying on without it: redis did not answer within 50 ms'] });
    expect(report.checks.cache).toMatchObject({ ok: true, warnings: ['unreachable, carrying on without it: ECONNREFUSED'] });
  });

  it('is not ready once the service is stopping, whatever its dependencies say', async () => {
    const registry = new HealthRegistry();
    registry.register({ name: 'redis', optional: true, check: async () => undefined });
    registry.markStopping();
    expect((await registry.report()).ready).toBe(false);
  });
});
