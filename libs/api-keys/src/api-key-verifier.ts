import { Injectable } from '@nestjs/common';
import { PrismaService } from '@tracklane/db';
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
 * minute per key to keep reads cheap. Both are model calls.
 */
@Injectable()
export class ApiKeyVerifier {
  private readonly lastUsedWritten = new Map<number, number>();

  constructor(private readonly prisma: PrismaService) {}

  async verify(key: string | undefined | null): Promise<Verification> {
    if (!key) return { ok: false, reason: 'missing' };
    const prefix = apiKeyPrefix(key);
    if (!prefix) return { ok: false, reason: 'malformed' };
    const row = await this.prisma.apiKey.findUnique({
      where: { keyPrefix: prefix },
      select: { id: true, keyHash: true, role: true, advertiserId: true, affiliateId: true, readOnly: true, revokedAt: true },
    });
    if (!row || !apiKeyMatches(key, row.keyHash)) return { ok: false, reason: 'unknown' };
    if (row.revokedAt) return { ok: false, reason: 'revoked' };
    this.touch(row.id);
    return {
      ok: true,
      principal: {
        keyId: row.id,
        role: row.role as ApiKeyRole,
        advertiserId: row.advertiserId,
        affiliateId: row.affiliateId,
        readOnly: row.readOnly,
      },
    };
  }

  private touch(keyId: number): void {
    const now = Date.now();
    if (now - (this.lastUsedWritten.get(keyId) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWritten.set(keyId, now);
    this.prisma.apiKey.update({ where: { id: keyId }, data: { lastUsedAt: new Date() }, select: { id: true } }).catch(() => {
      this.lastUsedWritten.delete(keyId); // try again on the next request
    });
  }
}
