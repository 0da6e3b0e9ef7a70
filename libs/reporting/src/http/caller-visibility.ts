import { Injectable } from '@nestjs/common';
import { Principal } from '@tracklane/api-keys';
import { checkTenantFilters } from '@tracklane/api-auth';
import { PrismaService } from '@tracklane/db';
import { FilterValues } from '../query/dimensions';
import { Visibility, visibilityOf } from '../query/visibility';

/**
 * What the calling key may see in reports. Whether advertisers see payouts is
 * a network setting, read per request so that a change applies at once.
 */
@Injectable()
export class CallerVisibility {
  constructor(private readonly prisma: PrismaService) {}

  async of(caller: Principal): Promise<Visibility> {
    if (caller.role !== 'advertiser') return visibilityOf(caller, { advertisersSeePayouts: false });
    const settings = await this.prisma.networkSettings.findUnique({ where: { id: 1 }, select: { advertisersSeePayouts: true } });
    return visibilityOf(caller, { advertisersSeePayouts: settings?.advertisersSeePayouts ?? false });
  }

  /** Refuses (403) offer and goal filters outside the key's tenancy, as the management API does. */
  async checkFilters(visibility: Visibility, filters: FilterValues): Promise<void> {
    const ids = (parameter: string) =>
      [...filters].filter(([filter]) => filter.parameter === parameter).flatMap(([, values]) => values as number[]);
    await checkTenantFilters(this.prisma, visibility, { offerIds: ids('offer_id'), goalIds: ids('goal_id') });
  }
}
