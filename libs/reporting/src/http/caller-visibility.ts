import { Injectable } from '@nestjs/common';
import { Principal } from '@tracklane/api-keys';
import { Pool } from 'pg';
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
}
