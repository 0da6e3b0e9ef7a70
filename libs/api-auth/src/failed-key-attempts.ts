import type { Redis } from '@tracklane/cache';
import type { Logger } from '@tracklane/observability';

export interface FailedKeyAttemptOptions {
  /** Failed attempts one client address may make per window; the next ones are answered 429. */
  limit: number;
  windowSeconds: number;
  /** Longest wait for Redis on a failed attempt; past it the attempt is not counted (fail open). */
  redisDeadlineMs: number;
}

// One round trip: count the failure, start the window on the first one, say how long it has left.
const COUNT_FAILURE = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }`;

const MAX_REMEMBERED = 10_000;

/**
 * Failed API key attempts per client address, counted in Redis so that every
 * instance of every API sees the same count. Only failures cost a Redis round
 * trip: an address over the limit is remembered locally until its window
 * ends, and checked before the key is verified, so a successful request
 * touches no Redis and a blocked address costs neither Redis nor Postgres.
 * An instance that has not itself counted one of the address's failures yet
 * learns of the block at that address's next failure.
 */
export class FailedKeyAttempts {
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly options: FailedKeyAttemptOptions,
    private readonly logger: Logger,
  ) {}

  /** Seconds the address must still wait before it may try again (0: it may). */
  retryAfter(address: string, now = Date.now()): number {
    const until = this.blockedUntil.get(address);
    if (until === undefined) return 0;
    if (until <= now) {
      this.blockedUntil.delete(address);
      return 0;
    }
    return Math.ceil((until - now) / 1000);
  }

  /** Counts a failed attempt; returns the seconds to wait when the address is now over the limit, else 0. */
  async failed(address: string, now = Date.now()): Promise<number> {
    let counted: [number, number];
    try {
      counted = await this.count(address);
    } catch (error) {
      this.logger.warn({ err: error, address }, 'failed API key attempt not counted: Redis did not answer');
      return 0;
    }
    const [count, remainingMs] = counted;
    if (count <= this.options.limit) return 0;
    this.remember(address, now + remainingMs, now);
    return Math.max(1, Math.ceil(remainingMs / 1000));
  }

  private async count(address: string): Promise<[number, number]> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.options.redisDeadlineMs} ms`)), this.options.redisDeadlineMs);
    });
    try {
      const counting = this.redis.eval(COUNT_FAILURE, 1, `api-auth:failed-keys:${address}`, String(this.options.windowSeconds * 1000));
      return (await Promise.race([counting, deadline])) as [number, number];
    } finally {
      clearTimeout(timer);
    }
  }

  private remember(address: string, until: number, now: number): void {
    if (this.blockedUntil.size >= MAX_REMEMBERED) {
      for (const [each, eachUntil] of this.blockedUntil) if (eachUntil <= now) this.blockedUntil.delete(each);
      if (this.blockedUntil.size >= MAX_REMEMBERED) this.blockedUntil.delete(this.blockedUntil.keys().next().value as string);
    }
    this.blockedUntil.set(address, until);
  }
}
