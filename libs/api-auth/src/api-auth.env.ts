import { ServiceEnv } from '@tracklane/config';
import { IsInt, Matches, Max, Min } from 'class-validator';

/** Settings of a service whose HTTP API authenticates by API key (management, reporting). */
export class ApiAuthEnv extends ServiceEnv {
  /** Failed API key attempts one client address may make per window before it gets 429 for the rest of it. */
  @IsInt()
  @Min(1)
  API_KEY_FAILURE_LIMIT: number = 20;

  @IsInt()
  @Min(1)
  @Max(86_400)
  API_KEY_FAILURE_WINDOW_SECONDS: number = 60;

  /**
   * Comma-separated addresses or CIDR ranges of load balancers whose
   * X-Forwarded-For is believed when counting failed attempts per address; empty: none.
   */
  @Matches(/^[0-9A-Fa-f.:/, ]*$/, { message: 'TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR ranges' })
  TRUSTED_PROXIES: string = '';
}

/** Fastify's trustProxy for TRUSTED_PROXIES: the listed proxies, or none. */
export function trustedProxies(env: ApiAuthEnv): string[] | false {
  const list = env.TRUSTED_PROXIES.split(',').map((entry) => entry.trim()).filter(Boolean);
  return list.length > 0 ? list : false;
}
