import type { Redis } from '@tracklane/cache';
import { Answer } from '../receipts/receipt';
import { PostbackUnavailable } from '../refusals';

/** A verified signature and the timestamp it signed. */
export interface VerifiedSignature {
  /** Lower-case hex HMAC. */
  value: string;
  timestamp: number;
}

/** What the first use of a signature claimed, to settle or release once the postback's fate is known. */
export interface SignatureClaim {
  key: string;
}

export type SignatureUse = { kind: 'first'; claim: SignatureClaim } | { kind: 'replay'; answer: Answer };

const PENDING = 'pending';

// One round trip: claim the signature, or read what its first use came to.
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])`;

/**
 * A signed postback may be used once: anyone who saw one (a proxy log, a
 * browser history for GET postbacks) could otherwise send it again while its
 * timestamp is within the signature window, and a postback without order id
 * would be booked again. Each verified signature is remembered in Redis (shared
 * by every instance) until its timestamp leaves the window; a second use gets
 * the first one's answer, marked as a replay, and publishes nothing. A copy
 * arriving while the first is still being recorded is asked to retry (503). If
 * Redis cannot answer, a signed postback is not taken (503): it fails closed.
 */
export class SignatureReplays {
  constructor(
    private readonly redis: Redis,
    private readonly windowSeconds: number,
  ) {}

  async claim(advertiserId: number, signature: VerifiedSignature, now = Date.now()): Promise<SignatureUse> {
    const key = `postback-signature:${advertiserId}:${signature.value}`;
    // Valid until timestamp + window; a second more covers clocks that round differently.
    const ttlSeconds = Math.max(1, signature.timestamp + this.windowSeconds - Math.floor(now / 1000) + 1);
    let earlier: string | null;
    try {
      earlier = (await this.redis.eval(CLAIM, 1, key, PENDING, String(ttlSeconds))) as string | null;
    } catch (error) {
      throw new PostbackUnavailable('replay_check_unavailable', { cause: error });
    }
    if (earlier === null) return { kind: 'first', claim: { key } };
    if (earlier === PENDING) throw new PostbackUnavailable('duplicate_in_progress');
    return { kind: 'replay', answer: JSON.parse(earlier) as Answer };
  }

  /** The postback was taken: later uses of its signature get this answer. */
  async settle(claim: SignatureClaim, answer: Answer): Promise<void> {
    // KEEPTTL: the signature is remembered exactly as long as it is valid. A failure
    // here leaves "pending": copies get 503 until it expires, never a second booking.
    await this.redis.set(claim.key, JSON.stringify(answer), 'KEEPTTL', 'XX').catch(() => undefined);
  }

  /** The postback was not taken (refused, or asked to retry): the same signed request may come again. */
  async release(claim: SignatureClaim): Promise<void> {
    await this.redis.del(claim.key).catch(() => undefined);
  }
}
