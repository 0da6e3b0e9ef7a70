import { managementClient } from '@tracklane/api-client';
import { createTestStack, freePort, HttpReceiver, Platform, TestStack, WORKSPACE_ROOT } from '@tracklane/testing';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createNetwork, LoadNetwork } from './network';

const run = promisify(execFile);

/** Start order: producers' dependencies first, so every consumer finds its topics and tables. */
export const SERVICES = ['management', 'click-ingest', 'postback-ingest', 'attribution', 'postback-dispatch', 'reporting'];

export interface WholePlatform {
  stack: TestStack;
  platform: Platform;
  /** Stands in for the affiliate's server. */
  affiliateServer: HttpReceiver;
  adminKey: string;
  url(service: string): string;
  /** Advertisers with an offer each and approved affiliates, made through management as the admin; postbacks go to `affiliateServer`. */
  createNetwork(size: { offers: number; affiliates: number }): Promise<LoadNetwork>;
  stop(): Promise<void>;
}

/**
 * Every Tracklane service as a real process on one private stack (database,
 * topics, Redis prefix), with the first admin key issued the way an operator
 * does it, and a real HTTP server as the affiliate's postback endpoint; when
 * asked, the operator console too, serving the web app built into `console.assetsDir`.
 */
export interface WholePlatformOptions {
  brokers?: string;
  topics?: { replicationFactor: number; minInsyncReplicas: number };
  apps?: string[];
  console?: { assetsDir: string };
  /**
   * Settings every service gets over those of the stack, e.g. DATABASE_URL through a connection pooler or
   * REDIS_URL of a Redis of the test's own (the stack's database is migrated and dropped all the same). A function
   * derives them from the stack, e.g. a pooler in front of its database; the admin key is issued on the stack's own.
   */
  serviceEnv?: Record<string, string> | ((stack: TestStack) => Record<string, string> | Promise<Record<string, string>>);
  /** Every service as its image runs in production: unprivileged, on a read-only filesystem, click-ingest's spool its only writable directory. */
  confined?: boolean;
}

export async function startWholePlatform(options: WholePlatformOptions = {}): Promise<WholePlatform> {
  const stack = await createTestStack({ partitions: 3, brokers: options.brokers, ...options.topics });
  const serviceEnv = typeof options.serviceEnv === 'function' ? await options.serviceEnv(stack) : options.serviceEnv;
  const affiliateServer = await HttpReceiver.start();
  const spoolDir = mkdtempSync(join(tmpdir(), 'tracklane-e2e-spool-'));
  const ports = Object.fromEntries(await Promise.all([...SERVICES, 'console'].map(async (name) => [name, String(await freePort())])));
  const local = (name: string) => `http://127.0.0.1:${ports[name]}`;
  // The affiliate's server runs on this machine: its scheme, address and port only are opened, as `npm run up` does for the demo receiver.
  const affiliateTarget = `http://127.0.0.1:${affiliateServer.port}`;

  const { stdout } = await run(
    process.execPath,
    ['-r', '@swc-node/register', join(WORKSPACE_ROOT, 'apps/management/src/issue-admin-key.ts'), 'e2e operator'],
    { cwd: WORKSPACE_ROOT, env: { ...process.env, ...stack.env, LOG_LEVEL: 'warn' } },
  );
  const adminKey = stdout.trim().split('\n').pop() ?? '';

  const platform = await Platform.start({
    // A killed consumer's partitions move to its successor after 6 s instead of 30 s.
    env: { ...stack.env, LOG_LEVEL: 'info', KAFKA_SESSION_TIMEOUT_MS: '6000', ...serviceEnv },
    // A suite that needs fewer services starts only those (in the same order).
    apps: [...SERVICES.filter((app) => options.apps?.includes(app) ?? true), ...(options.console ? ['console'] : [])],
    confined: options.confined ? { writable: { 'click-ingest': [spoolDir] } } : undefined,
    perApp: {
      management: {
        PORT: ports.management,
        CLICK_INGEST_URL: local('click-ingest'),
        POSTBACK_INGEST_URL: local('postback-ingest'),
        POSTBACK_ALLOWED_TARGETS: affiliateTarget,
      },
      // Visitors come through a proxy that names them, as behind a load balancer.
      'click-ingest': { PORT: ports['click-ingest'], CLICK_SPOOL_DIR: spoolDir, CLICK_CLIENT_IP_HEADER: 'x-forwarded-for' },
      'postback-ingest': { PORT: ports['postback-ingest'] },
      // A conversion whose click is still on its way is looked at again within seconds, not a minute.
      attribution: { PORT: ports.attribution, CONVERSION_RETRY_MAX_BACKOFF_MS: '3000' },
      'postback-dispatch': { PORT: ports['postback-dispatch'], POSTBACK_ALLOWED_TARGETS: affiliateTarget, POSTBACK_RETRY_BASE_MS: '200' },
      reporting: { PORT: ports.reporting },
      // The operator console, which reaches both APIs (and postback-ingest's conversion upload) through its own origin.
      console: { PORT: ports.console, MANAGEMENT_URL: local('management'), REPORTING_URL: local('reporting'), POSTBACK_URL: local('postback-ingest'), CONSOLE_ASSETS_DIR: options.console?.assetsDir ?? '' },
    },
  });

  return {
    stack,
    platform,
    affiliateServer,
    adminKey,
    url: (service) => platform.url(service),
    createNetwork: (size) =>
      createNetwork(managementClient({ baseUrl: platform.url('management'), apiKey: adminKey }), { ...size, affiliatePostbackUrl: `${affiliateServer.url}/pb` }),
    stop: async () => {
      try {
        await platform.stop();
      } finally {
        await affiliateServer.close();
        await stack.destroy();
        rmSync(spoolDir, { recursive: true, force: true });
      }
    },
  };
}
