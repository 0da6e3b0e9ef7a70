import { randomFillSync } from 'node:crypto';

/**
 * Tracklane ids (click ids, conversion ids, event ids): 30 characters of
 * Crockford base32 in lower case — 10 for the creation time in milliseconds
 * (so ids sort by time) and 20 for 100 random bits (so they cannot be
 * guessed or enumerated). URL-safe and case-insensitive for partners who
 * upper-case what they store.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const DECODE = new Map([...ALPHABET].map((char, index) => [char, index]));
const TIME_CHARS = 10;
const RANDOM_CHARS = 20;
export const ID_LENGTH = TIME_CHARS + RANDOM_CHARS;
export const ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{30}$/;

// Random bytes are drawn in blocks: one syscall serves hundreds of ids.
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolOffset = POOL_SIZE;

function randomChars(): string {
  if (poolOffset + RANDOM_CHARS > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let out = '';
  // Each byte contributes its low 5 bits: 20 chars = 100 uniformly random bits.
  for (let i = 0; i < RANDOM_CHARS; i++) out += ALPHABET[pool[poolOffset + i] & 31];
  poolOffset += RANDOM_CHARS;
  return out;
}

function timeChars(epochMs: number): string {
  let out = '';
  let rest = epochMs;
  for (let i = 0; i < TIME_CHARS; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

export function newId(now: number = Date.now()): string {
  return timeChars(now) + randomChars();
}

export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** Normalises an id received from a partner (who may have upper-cased it). */
export function normaliseId(value: string): string | null {
  const lower = value.trim().toLowerCase();
  return ID_PATTERN.test(lower) ? lower : null;
}

/** The creation time encoded in an id, in epoch milliseconds. */
export function idTime(id: string): number {
  let ms = 0;
  for (let i = 0; i < TIME_CHARS; i++) {
    const digit = DECODE.get(id[i]);
    if (digit === undefined) throw new Error(`not a Tracklane id: ${id}`);
    ms = ms * 32 + digit;
  }
  return ms;
}
