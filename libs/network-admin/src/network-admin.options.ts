import { AddressPolicy } from '@tracklane/address-policy';

export const NETWORK_ADMIN_OPTIONS = Symbol('NETWORK_ADMIN_OPTIONS');

export interface NetworkAdminOptions {
  /** Public base URL of click-ingest: tracking links start with it. */
  clickIngestUrl: string;
  /** Public base URL of postback-ingest: advertisers' postback URLs start with it. */
  postbackIngestUrl: string;
  /** Where affiliates' postback URLs may point: public hosts, and the internal targets the operator listed. */
  postbackTargets: AddressPolicy;
}
