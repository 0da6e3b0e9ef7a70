import { Advertiser } from '@tracklane/db';
import { ParamMapping } from '@tracklane/catalog';

export type AdvertiserStatus = 'active' | 'paused' | 'archived';

export interface AdvertiserView {
  id: number;
  name: string;
  status: AdvertiserStatus;
  /** Goes into every postback URL; visible to admins and the advertiser itself. */
  postbackToken: string;
  requireSignature: boolean;
  /** The secret itself is shown only when it is created or rotated. */
  hasSigningSecret: boolean;
  ipAllowlist: string[];
  paramMapping: ParamMapping;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

export function advertiserView(row: Advertiser): AdvertiserView {
  return {
    id: row.id,
    name: row.name,
    status: row.status as AdvertiserStatus,
    postbackToken: row.postbackToken,
    requireSignature: row.requireSignature,
    hasSigningSecret: row.signingSecret !== null,
    ipAllowlist: row.ipAllowlist,
    paramMapping: row.paramMapping as ParamMapping,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    archivedAt: row.archivedAt?.toISOString() ?? null,
  };
}
