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
 * Both checks for every click of one event-loop turn in one command,
 * atomically: remember each visitor on its offer and affiliate (SET NX EX: a
 * key that already exists means a repeat) and count the IP's clicks in the
 * current fixed window. KEYS holds the pairs (unique key, rate key) in order;
 * the answer holds (fresh, count) per pair. Two clicks of one visitor in the
 * same turn count as they would one after the other.
 */
const CHECK_SCRIPT = `
local answers = {}
for i = 1, #KEYS, 2 do
  local fresh = redis.call('SET', KEYS[i], '1', 'NX', 'EX', ARGV[1])
  local count = redis.call('INCR', KEYS[i + 1])
  if count == 1 then redis.call('EXPIRE', KEYS[i + 1], ARGV[2]) end
  answers[#answers + 1] = fresh and 1 or 0
  answers[#answers + 1] = count
end
return answers
`;

/** (number of keys, ...keys, unique window, rate window) → (fresh, count) per pair of keys. */
type CheckCommand = (...args: Array<string | number>) => Promise<number[]>;

interface PendingCheck {
  uniqueKey: string;
  rateKey: string;
  resolve: (result: ClickCheckResult) => void;
}

/** The keyed digests of a visitor (IP and user agent) and of their IP, as they appear in the click: keys. */
export function visitorDigests(ip: string, userAgent: string, secret: string): { visitor: string; address: string } {
  return {
    visitor: hash('sha1', `${secret}\n${ip}\n${userAgent}`, 'base64url'),
    address: hash('sha1', `${secret}\n${ip}`, 'base64url'),
  };
}

/** Clicks checked in one command at most; more wait for the next turn's command. */
const MAX_CHECKS_PER_COMMAND = 500;

/**
 * Uniqueness and per-IP rate limiting in Redis (keys under click:). A click
 * is never refused for them, nor held up past the deadline: when Redis is
 * down or slow the click goes through unverified, and says so.
 *
 * The checks of all clicks that arrive in one event-loop turn travel as one
 * script call with one deadline timer: per click, a Redis command costs far
 * more CPU in the client than the script costs in Redis.
 */
export class ClickChecks {
  private readonly redis: Redis;
  private readonly command: CheckCommand;
  private healthy = true;
  private pending: PendingCheck[] = [];

  constructor(
    redis: Redis,
    private readonly options: ClickCheckOptions,
    private readonly logger?: Logger,
  ) {
    // A connection of its own, with the service's server, key prefix and fail-fast settings.
    this.redis = redis.duplicate();
    this.redis.on('error', () => undefined); // reconnects on its own; clicks meanwhile go through unverified
    this.redis.defineCommand('tracklaneClickChecks', { lua: CHECK_SCRIPT });
    const command = (this.redis as unknown as { tracklaneClickChecks: CheckCommand }).tracklaneClickChecks;
    this.command = command.bind(this.redis);
  }

  close(): void {
    this.redis.disconnect();
  }

  /**
   * `secret` is the network's visitor hash key: it keys both digests, so nobody reading Redis can find an
   * address by trying all of them (2^32 IPv4 addresses are an afternoon's hashing).
   */
  check(offerId: number, affiliateId: number, ip: string, userAgent: string, nowMs: number, secret: string): Promise<ClickCheckResult> {
    // Digests keep the keys short whatever the user agent's length, and keep visitors' addresses out of Redis;
    // a collision would at worst mark one click non-unique or count it against another IP. A secret prefix makes
    // them keyed at the cost of one plain hash (HMAC's two objects per click cost measurably more).
    const { visitor, address } = visitorDigests(ip, userAgent, secret);
    const window = Math.floor(nowMs / 1000 / this.options.rateLimitWindowSeconds);
    return new Promise((resolve) => {
      this.pending.push({ uniqueKey: `click:u:${offerId}:${affiliateId}:${visitor}`, rateKey: `click:r:${address}:${window}`, resolve });
      if (this.pending.length === 1) setImmediate(this.sendPending);
    });
  }

  private readonly sendPending = (): void => {
    const checks = this.pending.length > MAX_CHECKS_PER_COMMAND ? this.pending.splice(0, MAX_CHECKS_PER_COMMAND) : this.pending;
    if (checks === this.pending) this.pending = [];
    else setImmediate(this.sendPending);
    const args: Array<string | number> = [checks.length * 2];
    for (const check of checks) args.push(check.uniqueKey, check.rateKey);
    args.push(this.options.uniqueWindowSeconds, this.options.rateLimitWindowSeconds);
    let answered = false;
    const giveUp = (reason: string) => {
      if (answered) return;
      answered = true;
      const result = this.unverified(reason);
      for (const check of checks) check.resolve(result);
    };
    const timer = setTimeout(() => giveUp('timeout'), this.options.deadlineMs);
    this.command(...args).then(
      (answers) => {
        clearTimeout(timer);
        if (answered) return;
        answered = true;
        if (!this.healthy) {
          this.healthy = true;
          this.logger?.info('Redis answers again; clicks are checked for uniqueness and rate again');
        }
        const max = this.options.rateLimitMax;
        for (let i = 0; i < checks.length; i++) {
          checks[i].resolve({ unique: answers[2 * i] === 1, rateLimited: answers[2 * i + 1] > max, verified: true });
        }
      },
      (error: Error) => {
        clearTimeout(timer);
        giveUp(error.message);
      },
    );
  };

  private unverified(reason: string): ClickCheckResult {
    if (this.healthy) {
      this.healthy = false;
      this.logger?.warn({ reason }, 'Redis did not answer; clicks go through unverified');
    }
    return UNVERIFIED;
  }
}
