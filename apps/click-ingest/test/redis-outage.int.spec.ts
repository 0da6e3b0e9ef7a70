import { clicksV1, ClickV1, topicNames } from '@tracklane/contracts';
import { RunningService, startService } from '@tracklane/observability';
import { createTestStack, TcpProxy, TestStack, waitFor } from '@tracklane/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickIngestEnv } from '../src/click-ingest.env';
import { clickIngest } from '../src/click-ingest.service';
import { seedCatalog } from './support/catalog-fixture';
import { ClickTap } from './support/click-tap';

const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

describe('click-ingest when Redis fails', () => {
  let stack: TestStack;
  let proxy: TcpProxy;
  let service: RunningService<ClickIngestEnv>;
  let tap: ClickTap;
  let spoolDir: string;

  beforeAll(async () => {
    stack = await createTestStack({ partitions: 1 });
    await seedCatalog(stack.database.url);
    const redis = new URL(stack.redis.url);
    proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
    await proxy.start();
    spoolDir = mkdtempSync(join(tmpdir(), 'click-spool-'));
    const env = Object.assign(new ClickIngestEnv(), stack.env, {
      PORT: 0,
      LOG_LEVEL: 'error',
      CLICK_SPOOL_DIR: spoolDir,
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
    });
    service = await startService(clickIngest, env);
    tap = await ClickTap.start(stack.topics.kafka, topicNames(clicksV1, stack.topics.prefix).main);
  });

  afterAll(async () => {
    await tap?.stop();
    await service?.close();
    await proxy?.cut();
    await stack?.destroy();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  async function click(userAgent: string): Promise<ClickV1> {
    const response = await fetch(`${service.url}/c/10?aff_id=7`, { redirect: 'manual', headers: { 'user-agent': userAgent } });
    expect(response.status).toBe(302);
    return tap.click(new URL(response.headers.get('location') ?? '').searchParams.get('cid') ?? '');
  }

  it('still redirects while Redis hangs, flagging the click unverified once the check deadline passes', async () => {
    const agent = `${BROWSER} hang-${Date.now()}`;
    expect((await click(agent)).flags).toEqual([]);
    proxy.stall();
    try {
      const unchecked = await click(agent);
      expect(unchecked).toMatchObject({ unique: true, flags: ['unverified'] });
    } finally {
      proxy.unstall();
    }
  });

  it('still redirects while Redis is unreachable, and checks clicks again once it is back', async () => {
    const agent = `${BROWSER} down-${Date.now()}`;
    expect((await click(agent)).flags).toEqual([]);
    await proxy.cut();
    try {
      const unchecked = await click(agent);
      expect(unchecked).toMatchObject({ unique: true, flags: ['unverified'] });
      const bot = await click('curl/8.5.0');
      expect(bot.flags).toEqual(['bot', 'unverified']);
    } finally {
      await proxy.restore();
    }
    const rechecked = await waitFor(
      async () => {
        const again = await click(agent);
        return again.flags.length === 0 ? again : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200, what: 'clicks checked again' },
    );
    // The first visit was remembered before the outage: the visitor is recognised as a repeat.
    expect(rechecked.unique).toBe(false);
  });
});
