import { ServiceEnv } from '@tracklane/config';
import { createTestStack, TestStack, waitFor, WORKSPACE_ROOT } from '@tracklane/testing';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ReadinessReport, RunningService, startService } from '../src';
import { fixtureService } from './fixture-service';

function runFixture(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'fixture-main.ts')], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('a Tracklane service', () => {
  let stack: TestStack;
  let service: RunningService<ServiceEnv>;

  beforeAll(async () => {
    stack = await createTestStack();
    service = await startService(fixtureService, Object.assign(new ServiceEnv(), stack.env, { LOG_LEVEL: 'warn' }));
  });
  afterAll(async () => {
    await service?.close();
    await stack?.destroy();
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${service.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready only when Postgres, Redis and Kafka answer', async () => {
    const response = await fetch(`${service.url}/readyz`);
    const report = (await response.json()) as ReadinessReport;
    expect(response.status).toBe(200);
    expect(Object.keys(report.checks).sort()).toEqual(['kafka', 'postgres', 'redis']);
    expect(Object.values(report.checks).every((check) => check.ok)).toBe(true);
    // The test topics are as the environment configures them.
    expect(report.checks.kafka.warnings).toBeUndefined();
  });

  it('stays ready but names every way the topics are weaker than configured', async () => {
    const demanding = await startService(
      fixtureService,
      Object.assign(new ServiceEnv(), stack.env, { LOG_LEVEL: 'silent', KAFKA_REPLICATION_FACTOR: 3, KAFKA_MIN_INSYNC_REPLICAS: 2, KAFKA_RETENTION_HOURS: 336 }),
    );
    try {
      const response = await fetch(`${demanding.url}/readyz`);
      const report = (await response.json()) as ReadinessReport;
      expect(response.status).toBe(200);
      const clicks = `${stack.topics.prefix}clicks.v1`;
      expect(report.checks.kafka.warnings).toEqual(
        expect.arrayContaining([
          `${clicks}: replication factor 1, configured 3`,
          `${clicks}: min.insync.replicas 1, configured 2`,
          `${clicks}: retention 168 h, configured 336 h`,
        ]),
      );
      // Dead letters are kept 720 hours by default, longer than asked here.
      expect(report.checks.kafka.warnings?.some((warning) => warning.startsWith(`${stack.topics.prefix}clicks.dlq.v1: retention`))).toBe(false);
    } finally {
      await demanding.close();
    }
  });

  it('reports not ready, naming the dependency, when one is down', async () => {
    const broken = await startService(
      fixtureService,
      Object.assign(new ServiceEnv(), stack.env, { LOG_LEVEL: 'silent', REDIS_URL: 'redis://127.0.0.1:1' }),
    );
    try {
      const response = await fetch(`${broken.url}/readyz`);
      const report = (await response.json()) as ReadinessReport;
      expect(response.status).toBe(503);
      expect(report.checks.redis.ok).toBe(false);
      expect(report.checks.postgres.ok).toBe(true);
    } finally {
      await broken.close();
    }
  });

  it('exposes Prometheus metrics', async () => {
    const response = await fetch(`${service.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toMatch(/^tracklane_process_cpu_seconds_total /m);
  });

  it('refuses to start with a malformed variable and names it', async () => {
    const { code, output } = await runFixture({ ...stack.env, KAFKA_BROKERS: 'no-port-here' });
    expect(code).toBe(1);
    expect(output).toContain('KAFKA_BROKERS must be a comma-separated list of host:port');
  });

  it('stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'fixture-main.ts')], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, ...stack.env, PORT: '0' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    await waitFor(() => output.includes('"msg":"listening"'), { what: 'listening' }).catch((error) => {
      throw new Error(`${error.message}: ${output}`);
    });
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(output).toContain('"msg":"stopped"');
  });
});
