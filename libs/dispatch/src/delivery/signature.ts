import { createHmac } from 'node:crypto';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const SIGNATURE_HEADER = 'x-tracklane-signature';

export interface SignedParts {
  /** Unix seconds when the attempt was made: lets receivers refuse old replays. */
  timestamp: number;
  idempotencyKey: string;
  method: string;
  /** Path and query exactly as in the request line. */
  pathAndQuery: string;
  body: string | null;
}

/** The string an affiliate recomputes: "<timestamp>.<idempotency key>.<METHOD>.<path?query>.<body>". */
export function signedPayload(parts: SignedParts): string {
  return `${parts.timestamp}.${parts.idempotencyKey}.${parts.method}.${parts.pathAndQuery}.${parts.body ?? ''}`;
}

/** Value of X-Tracklane-Signature: "t=<timestamp>,v1=<hex HMAC-SHA256 with the affiliate's postback secret>". */
export function signatureHeader(secret: string, parts: SignedParts): string {
  const digest = createHmac('sha256', secret).update(signedPayload(parts)).digest('hex');
  return `t=${parts.timestamp},v1=${digest}`;
}
