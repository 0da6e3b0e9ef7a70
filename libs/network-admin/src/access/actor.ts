import { Principal } from '@tracklane/api-keys';

/** The seed and other operator tools: acts with admin rights, audited as "system". */
export interface SystemActor {
  keyId: null;
  role: 'system';
  advertiserId: null;
  affiliateId: null;
  readOnly: false;
}

/** Who is making a change or asking to see something. */
export type Actor = Principal | SystemActor;

export const SYSTEM_ACTOR: SystemActor = { keyId: null, role: 'system', advertiserId: null, affiliateId: null, readOnly: false };

export function isAdmin(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'system';
}

/** The advertiser an advertiser key belongs to, else null. */
export function advertiserOf(actor: Actor): number | null {
  return actor.role === 'advertiser' ? actor.advertiserId : null;
}

/** The affiliate an affiliate key belongs to, else null. */
export function affiliateOf(actor: Actor): number | null {
  return actor.role === 'affiliate' ? actor.affiliateId : null;
}
