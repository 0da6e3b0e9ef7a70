import type { Redis } from '@tracklane/cache';
import { hash } from 'node:crypto';
import type { Logger } from 'pino';

export interface ClickCheckOptions {
  /** A repeat of the same visitor (IP + user agent) on the same offer and affiliate within this window is not unique. */
  uniqueWindowSeconds: number;
  /** Clicks one IP may make per window before its clicks are flagged. */
  rateLimitMax: number;
  rateLimitWindowSeconds: number;
  /** Past this, the redirect goes ahead without the answer. */
  deadlineMs: number;
}

export interface ClickCheckResult {
  unique: boolean;
  rateLimited: boolean;
  /** False when Redis did not answer in time: unique and rateLimited are then assumptions. */
  verified: boolean;
}

const UNVERIFIED: ClickCheckResult = { unique: true, rateLimited: false, verified: false };

/**
 * Both checks in one round trip, atomically: remember the visitor on this
 * offer and affiliate (SET NX EX: a key that already exists means a repeat)
 * and count the IP's clicks in the current fixed window.
 */
const CHECK_SCRIPT = `
local fresh = redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1])
local count = redis.call('INCR', KEYS[2])
if count == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
return {fresh and 1 or 0, count}
`;

type CheckCommand = (
  uniqueKey: string,
  rateKey: string,
  uniqueWindowSeconds: number,
  rateWindowSeconds: number,
) => Promise<[number, number]>;

/**
 * Uniqueness and per-IP rate limiting in Redis (keys under click:). A click
 * is never refused for them, nor held up past the deadline: when Redis is
 * down or slow the click goes through unverified, and says so.
 */
export class ClickChecks {
  private readonly redis: Redis;
  private readonly command: CheckCommand;
  private healthy = true;

  constructor(
    redis: Redis,
    private readonly options: ClickCheckOptions,
    private readonly logger?: Logger,
  ) {
    // A connection of its own that sends every check of one event-loop turn in one write (auto-pipelining),
    // instead of a write per click; same server, key prefix and fail-fast settings as the service's.
    this.redis = redis.duplicate({ enableAutoPipelining: true });
    this.redis.on('error', () => undefined); // reconnects on its own; clicks meanwhile go through unverified
    this.redis.defineCommand('tracklaneClickChecks', { numberOfKeys: 2, lua: CHECK_SCRIPT });
    const command = (this.redis as unknown as { tracklaneClickChecks: CheckCommand }).tracklaneClickChecks;
    this.command = command.bind(this.redis);
  }

  close(): void {
    this.redis.disconnect();
  }

  check(offerId: number, affiliateId: number, ip: string, userAgent: string, nowMs: number): Promise<ClickCheckResult> {
    // A digest keeps the key short whatever the user agent's length; a collision would at worst mark one click non-unique.
    const visitor = hash('sha1', `${ip}\n${userAgent}`, 'base64url');
    const window = Math.floor(nowMs / 1000 / this.options.rateLimitWindowSeconds);
    const answer = this.command(
      `click:u:${offerId}:${affiliateId}:${visitor}`,
      `click:r:${ip}:${window}`,
      this.options.uniqueWindowSeconds,
      this.options.rateLimitWindowSeconds,
    );
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.unverified('timeout')), this.options.deadlineMs);
      answer.then(
        ([fresh, count]) => {
          clearTimeout(timer);
          if (!this.healthy) {
            this.healthy = true;
            this.logger?.info('Redis answers again; clicks are checked for uniqueness and rate again');
          }
          resolve({ unique: fresh === 1, rateLimited: count > this.options.rateLimitMax, verified: true });
        },
        (error: Error) => {
          clearTimeout(timer);
          resolve(this.unverified(error.message));
        },
      );
    });
  }

  private unverified(reason: string): ClickCheckResult {
    if (this.healthy) {
      this.healthy = false;
      this.logger?.warn({ reason }, 'Redis did not answer; clicks go through unverified');
    }
    return UNVERIFIED;
  }
}
