export const NETWORK_ADMIN_OPTIONS = Symbol('NETWORK_ADMIN_OPTIONS');

export interface NetworkAdminOptions {
  /** Public base URL of click-ingest: tracking links start with it. */
  clickIngestUrl: string;
  /** Public base URL of postback-ingest: advertisers' postback URLs start with it. */
  postbackIngestUrl: string;
}
