import { ServiceEnv } from '@tracklane/config';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { homedir } from 'node:os';
import { join } from 'node:path';

const HEADER_NAME = /^[A-Za-z0-9-]*$/;

/** click-ingest's settings (validated at boot; none of the defaults is a secret). */
export class ClickIngestEnv extends ServiceEnv {
  override PORT: number = 8080;

  /** Root of the state Tracklane keeps on this machine. */
  @IsString()
  TRACKLANE_STATE_DIR: string = join(homedir(), '.local', 'state', 'tracklane');

  /** Where clicks wait for Kafka; empty means <TRACKLANE_STATE_DIR>/click-ingest/spool. One per instance. */
  @IsString()
  CLICK_SPOOL_DIR: string = '';

  /** How long a redirect waits for Kafka's acknowledgement before the click is spooled instead. */
  @IsInt()
  @Min(1)
  @Max(60_000)
  CLICK_PUBLISH_DEADLINE_MS: number = 300;

  /** Same IP + user agent on the same offer and affiliate within this window: not unique. */
  @IsInt()
  @Min(1)
  CLICK_UNIQUE_WINDOW_SECONDS: number = 86_400;

  /** Clicks one IP may make per window before its clicks are flagged rate_limited. */
  @IsInt()
  @Min(1)
  CLICK_RATE_LIMIT_MAX: number = 100;

  @IsInt()
  @Min(1)
  CLICK_RATE_LIMIT_WINDOW_SECONDS: number = 60;

  /** How long a redirect waits for Redis before the click goes through flagged unverified. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  CLICK_CHECKS_DEADLINE_MS: number = 100;

  /** Header a trusted edge sets to the visitor's country (ISO 3166-1 alpha-2); empty: none. */
  @Matches(HEADER_NAME, { message: 'CLICK_COUNTRY_HEADER must be an HTTP header name' })
  CLICK_COUNTRY_HEADER: string = 'cf-ipcountry';

  /**
   * Where the offline country database is, for visitors whose edge names no country: GeoIP.dat (IPv4)
   * and GeoIPv6.dat (IPv6) in the legacy GeoIP format, as Debian's geoip-database installs them. Empty: none.
   */
  @IsString()
  CLICK_GEOIP_DIR: string = '/usr/share/GeoIP';

  /** Header a trusted edge sets to the visitor's IP (last entry of a list); empty: the TCP peer. */
  @Matches(HEADER_NAME, { message: 'CLICK_CLIENT_IP_HEADER must be an HTTP header name' })
  CLICK_CLIENT_IP_HEADER: string = '';

  /** Extra user-agent fragments (comma-separated, case-insensitive) to flag as bots. */
  @IsString()
  CLICK_BOT_PATTERNS: string = '';
}
