import { PostbackStatus } from '@tracklane/contracts';
import { Affiliate } from '@tracklane/db';

export type AffiliateStatus = 'active' | 'pending' | 'suspended' | 'archived';

export interface AffiliateView {
  id: number;
  name: string;
  status: AffiliateStatus;
  /** Where the affiliate hears about its conversions, unless an offer has its own URL. */
  postbackUrl: string | null;
  postbackMethod: 'GET' | 'POST';
  /** Which decisions are sent. */
  postbackStatuses: PostbackStatus[];
  /** The HMAC key itself is shown only when it is created or rotated. */
  hasPostbackSecret: boolean;
  /** Sites it sends visitors from without a tracking link: direct clicks referred from them are its own. */
  referrerDomains: string[];
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

export function affiliateView(row: Affiliate): AffiliateView {
  return {
    id: row.id,
    name: row.name,
    status: row.status as AffiliateStatus,
    postbackUrl: row.postbackUrl,
    postbackMethod: row.postbackMethod as AffiliateView['postbackMethod'],
    postbackStatuses: row.postbackStatuses as PostbackStatus[],
    hasPostbackSecret: row.postbackSecret !== null,
    referrerDomains: row.referrerDomains,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    archivedAt: row.archivedAt?.toISOString() ?? null,
  };
}
