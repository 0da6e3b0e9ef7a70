import { ApiKeyRole } from '@tracklane/api-keys';
import { ApiKey } from '@tracklane/db';

export interface ApiKeyView {
  id: number;
  /** The key's first characters after "tl_": enough to recognise it, never enough to use it. */
  prefix: string;
  name: string;
  role: ApiKeyRole;
  advertiserId: number | null;
  affiliateId: number | null;
  readOnly: boolean;
  createdAt: string;
  /** Updated at most once a minute. */
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface IssuedApiKeyView extends ApiKeyView {
  /** The key itself: shown this once, stored only as a hash. */
  key: string;
}

export function apiKeyView(row: ApiKey): ApiKeyView {
  return {
    id: row.id,
    prefix: row.keyPrefix,
    name: row.name,
    role: row.role as ApiKeyRole,
    advertiserId: row.advertiserId,
    affiliateId: row.affiliateId,
    readOnly: row.readOnly,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
