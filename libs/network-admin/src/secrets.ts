import { randomBytes } from 'node:crypto';

/** Goes into every postback URL of an advertiser: 192 random bits, URL-safe. */
export function newPostbackToken(): string {
  return randomBytes(24).toString('base64url');
}

/** HMAC-SHA256 keys (advertiser postback signatures, affiliate postback signatures): 256 random bits. */
export function newSigningSecret(): string {
  return randomBytes(32).toString('base64url');
}
