import { Injectable } from '@nestjs/common';
import { Principal } from '@tracklane/api-keys';
import { Pool } from 'pg';
import { checkTenantFilters } from '@tracklane/api-auth';
import { FilterValues } from '../query/dimensions';
import { Visibility, visibilityOf } from '../query/visibility';

/**
 * What the calling key may see in reports. Whether advertisers see payouts is
 * a network setting, read per request so that a change applies at once.
 */
@Injectable()
export class CallerVisibility {
  constructor(private readonly pool: Pool) {}

  async of(caller: Principal): Promise<Visibility> {
    if (caller.role !== 'advertiser') return visibilityOf(caller, { advertisersSeePayouts: false });
    const { rows } = await this.pool.query<{ advertisers_see_payouts: boolean }>('SELECT advertisers_see_payouts FROM network_settings WHERE id = 1');
    return visibilityOf(caller, { advertisersSeePayouts: rows[0]?.advertisers_see_payouts ?? false });
  }

  /** Refuses (403) offer and goal filters outside the key's tenancy, as the management API does. */
  async checkFilters(visibility: Visibility, filters: FilterValues): Promise<void> {
    const ids = (parameter: string) =>
      [...filters].filter(([filter]) => filter.parameter === parameter).flatMap(([, values]) => values as number[]);
    await checkTenantFilters(this.pool, visibility, { offerIds: ids('offer_id'), goalIds: ids('goal_id') });
  }
}
