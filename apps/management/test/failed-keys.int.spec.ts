import { startService, RunningService } from '@tracklane/observability';
import { createRedis } from '@tracklane/cache';
import { managementService } from '../src/management.definition';
import { ManagementEnv } from '../src/management.env';
import { ApiClient, ManagementUnderTest, startManagement } from './management-harness';

const BAD_KEY = 'tl_abcdefgh_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

describe('management API: failed API key attempts', () => {
  let api: ManagementUnderTest;
  let second: RunningService<ManagementEnv>;

  beforeAll(async () => {
    api = await startManagement({ API_KEY_FAILURE_LIMIT: 3, API_KEY_FAILURE_WINDOW_SECONDS: 60 });
    // A second instance on the same database and Redis, as behind a load balancer.
    second = await startService(managementService, Object.assign(new ManagementEnv(), api.service.env, { PORT: 0 }));
  });
  afterAll(async () => {
    await second?.close();
    await api?.close();
  });

  it('answers 429 with Retry-After once an address has failed too often on any instance, even to a good key', async () => {
    const good = await api.key('admin');
    // No Redis command on a successful authentication (the failure counter is only touched by failures).
    const monitor = createRedis({ url: api.redis.url });
    const seen: string[] = [];
    const feed = await monitor.monitor();
    feed.on('monitor', (_time: string, args: string[]) => {
      if (args.some((arg) => String(arg).startsWith(api.redis.prefix))) seen.push(args.join(' '));
    });
    try {
      for (let index = 0; index < 5; index++) expect((await api.as(good.key).get('/v1/me')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen).toEqual([]);
    } finally {
      feed.disconnect();
      monitor.disconnect();
    }

    const onSecond = new ApiClient(second.url, BAD_KEY);
    for (const client of [api.as(BAD_KEY), onSecond, api.as('not-a-key')]) {
      const refused = await client.get('/v1/offers');
      expect(refused.status).toBe(401);
    }
    // A missing key is not a guess: it is not counted.
    expect((await api.as().get('/v1/offers')).status).toBe(401);

    const limited = await onSecond.get('/v1/offers');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ type: 'urn:tracklane:problem:too-many-failed-attempts', status: 429 });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body.retryAfterSeconds).toBe(retryAfter);
    // The instance that saw it refuses the address outright, good key or not, for the rest of the window.
    expect((await new ApiClient(second.url, good.key).get('/v1/me')).status).toBe(429);
    // The first instance counts the next failure in the shared count and refuses it too.
    expect((await api.as(BAD_KEY).get('/v1/offers')).status).toBe(429);
  });
});
