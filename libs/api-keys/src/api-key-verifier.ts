import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { ApiKeyRole, apiKeyMatches, apiKeyPrefix } from './api-key';

/** Who is calling, as established from their API key. */
export interface Principal {
  keyId: number;
  role: ApiKeyRole;
  advertiserId: number | null;
  affiliateId: number | null;
  readOnly: boolean;
}

export type VerificationFailure = 'missing' | 'malformed' | 'unknown' | 'revoked';

export type Verification = { ok: true; principal: Principal } | { ok: false; reason: VerificationFailure };

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Checks API keys against the api_keys table on every request, so a
 * revoked key stops working at once. last_used_at is written at most once a
 * minute per key to keep reads cheap.
 */
@Injectable()
export class ApiKeyVerifier {
  private readonly lastUsedWritten = new Map<number, number>();

  constructor(private readonly pool: Pool) {}

  async verify(key: string | undefined | null): Promise<Verification> {
    if (!key) return { ok: false, reason: 'missing' };
    const prefix = apiKeyPrefix(key);
    if (!prefix) return { ok: false, reason: 'malformed' };
    const { rows } = await this.pool.query(
      `SELECT id, key_hash, role, advertiser_id, affiliate_id, read_only, revoked_at FROM api_keys WHERE key_prefix = $1`,
      [prefix],
    );
    const row = rows[0];
    if (!row || !apiKeyMatches(key, row.key_hash)) return { ok: false, reason: 'unknown' };
    if (row.revoked_at) return { ok: false, reason: 'revoked' };
    this.touch(row.id);
    return {
      ok: true,
      principal: {
        keyId: row.id,
        role: row.role,
        advertiserId: row.advertiser_id,
        affiliateId: row.affiliate_id,
        readOnly: row.read_only,
      },
    };
  }

  private touch(keyId: number): void {
    const now = Date.now();
    if (now - (this.lastUsedWritten.get(keyId) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWritten.set(keyId, now);
    this.pool.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [keyId]).catch(() => {
      this.lastUsedWritten.delete(keyId); // try again on the next request
    });
  }
}
