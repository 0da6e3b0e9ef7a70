import { createRedis } from '@tracklane/cache';
import { createTestRedis, TestRedis } from '@tracklane/testing';
import pino from 'pino';
import { FailedKeyAttempts } from '../src/failed-key-attempts';

const logger = pino({ level: 'silent' });
const options = { limit: 3, windowSeconds: 30, redisDeadlineMs: 500 };

describe('FailedKeyAttempts (real Redis)', () => {
  let redis: TestRedis;
  beforeEach(async () => {
    redis = await createTestRedis();
  });
  afterEach(() => redis.drop());

  it('shares the count between instances: over the limit on either, the address waits out the window', async () => {
    const first = new FailedKeyAttempts(redis.client, options, logger);
    const second = new FailedKeyAttempts(redis.client, options, logger);
    expect(await first.failed('203.0.113.9')).toBe(0);
    expect(await second.failed('203.0.113.9')).toBe(0);
    expect(await first.failed('203.0.113.9')).toBe(0);
    const wait = await second.failed('203.0.113.9');
    expect(wait).toBeGreaterThan(25);
    expect(wait).toBeLessThanOrEqual(30);
    // The instance that counted the failure over the limit refuses the address without asking Redis again.
    expect(second.retryAfter('203.0.113.9')).toBe(wait);
    // The other learns at the address's next failure, which it counts in Redis too.
    expect(first.retryAfter('203.0.113.9')).toBe(0);
    expect(await first.failed('203.0.113.9')).toBeGreaterThan(25);
    expect(first.retryAfter('203.0.113.9')).toBeGreaterThan(25);
    // Other addresses are not affected.
    expect(first.retryAfter('203.0.113.10')).toBe(0);
    expect(await first.failed('203.0.113.10')).toBe(0);
  });

  it('lets the address try again once the window is over', async () => {
    const attempts = new FailedKeyAttempts(redis.client, { ...options, limit: 1, windowSeconds: 1 }, logger);
    expect(await attempts.failed('198.51.100.1')).toBe(0);
    expect(await attempts.failed('198.51.100.1')).toBe(1);
    expect(attempts.retryAfter('198.51.100.1', Date.now())).toBe(1);
    expect(attempts.retryAfter('198.51.100.1', Date.now() + 1_001)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await attempts.failed('198.51.100.1')).toBe(0);
  });

  it('fails open, quickly, when Redis does not answer: the attempt is answered 401, not held up', async () => {
    // Nothing listens on port 1; with an offline queue the command would wait for a connection.
    const unreachable = createRedis({ url: 'redis://127.0.0.1:1' });
    unreachable.on('error', () => undefined);
    try {
      const attempts = new FailedKeyAttempts(unreachable, { ...options, redisDeadlineMs: 200 }, logger);
      const started = Date.now();
      expect(await attempts.failed('192.0.2.1')).toBe(0);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      unreachable.disconnect();
    }
  });
});
