import { ServiceEnv } from '@tracklane/config';
import { IpAllowlist } from '@tracklane/postback-intake';
import { IsInt, Max, Min, ValidateBy } from 'class-validator';

export function addressList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

function IsAddressList(message: string): PropertyDecorator {
  return ValidateBy({
    name: 'isAddressList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && IpAllowlist.of(addressList(value)).invalidEntries.length === 0,
      defaultMessage: () => message,
    },
  });
}

/** postback-ingest's settings on top of every service's (see README). */
export class PostbackIngestEnv extends ServiceEnv {
  /** How far a signed postback's timestamp may be from the server's clock, either way. */
  @IsInt()
  @Min(1)
  @Max(3600)
  SIGNATURE_WINDOW_SECONDS: number = 300;

  /** Longest wait for Kafka's acknowledgement before the advertiser gets a 503. */
  @IsInt()
  @Min(100)
  PUBLISH_TIMEOUT_MS: number = 5_000;

  /** How long an unanswered attempt owns its receipt before a retry may publish the same event. */
  @IsInt()
  @Min(1_000)
  RECEIPT_LEASE_MS: number = 60_000;

  /** Comma-separated addresses/CIDR ranges of load balancers whose X-Forwarded-For is trusted; empty: none. */
  @IsAddressList('TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR ranges')
  TRUSTED_PROXIES: string = '';

  /** Postbacks waiting to be written to the inbound log; beyond it they are left out of the log (counted), never delayed. */
  @IsInt()
  @Min(100)
  POSTBACK_LOG_QUEUE_SIZE: number = 10_000;

  /** How long a postback waits for its inbound log batch. */
  @IsInt()
  @Min(10)
  @Max(60_000)
  POSTBACK_LOG_FLUSH_MS: number = 250;

  /** Days a postback stays in the inbound log. */
  @IsInt()
  @Min(1)
  @Max(3660)
  POSTBACK_LOG_RETENTION_DAYS: number = 30;

  /** Postgres connections of this instance. */
  @IsInt()
  @Min(2)
  DB_POOL_SIZE: number = 8;
}
