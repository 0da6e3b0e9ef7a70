import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `tl_<prefix>_<secret>`: the prefix (8 characters) finds
 * the row, the whole key is checked against a SHA-256 hash. Keys are shown
 * once, at creation; only the hash is stored.
 */
const KEY_PATTERN = /^tl_([0-9a-z]{8})_([0-9A-Za-z_-]{32,64})$/;

export type ApiKeyRole = 'admin' | 'advertiser' | 'affiliate';

export interface IssuedApiKey {
  /** The key to hand to its owner; never stored. */
  key: string;
  prefix: string;
  hash: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function issueApiKey(): IssuedApiKey {
  const prefix = randomBytes(5).toString('hex').slice(0, 8);
  const key = `tl_${prefix}_${randomBytes(24).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** The lookup prefix of a well-formed key, or null. */
export function apiKeyPrefix(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

/** Constant-time comparison of a presented key with a stored hash. */
export function apiKeyMatches(key: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
