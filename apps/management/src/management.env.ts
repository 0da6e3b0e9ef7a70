import { IsAllowedTargets } from '@tracklane/address-policy';
import { ApiAuthEnv } from '@tracklane/api-auth';
import { Matches } from 'class-validator';

export const BASE_URL = /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/;

export class ManagementEnv extends ApiAuthEnv {
  /** Public base URL of click-ingest, as affiliates' tracking links should show it. */
  @Matches(BASE_URL, { message: 'CLICK_INGEST_URL must be an http(s) base URL such as https://track.example.com' })
  CLICK_INGEST_URL: string = 'http://127.0.0.1:8080';

  /** Public base URL of postback-ingest, as advertisers' postback URLs should show it. */
  @Matches(BASE_URL, { message: 'POSTBACK_INGEST_URL must be an http(s) base URL such as https://postback.example.com' })
  POSTBACK_INGEST_URL: string = 'http://127.0.0.1:8081';

  /**
   * Internal targets affiliates' postback URLs may name although they are
   * special-purpose addresses or local names: comma-separated
   * scheme://host:port entries, the same list postback-dispatch is given.
   */
  @IsAllowedTargets()
  POSTBACK_ALLOWED_TARGETS: string = '';
}

/** A base URL without its trailing slash, ready for paths to be appended. */
export const baseUrl = (url: string): string => url.replace(/\/+$/, '');
