import { Injectable } from '@nestjs/common';
import { ID_PATTERN } from '@tracklane/contracts';
import { checkTenantFilters, Visibility, visibilityOf } from '@tracklane/api-auth';
import { Prisma, PrismaService } from '@tracklane/db';
import { Actor, advertiserOf, affiliateOf, invalid, isAdmin, notFound } from '../access';
import { Page, PageQuery, pageSize, toPage } from '../lists';
import { ConversionView, conversionView } from './conversion.view';

export interface ConversionListQuery extends PageQuery {
  offerId?: number;
  affiliateId?: number;
  from?: string;
  to?: string;
}

/** The latest status change rides along with each conversion. */
const withStatus = { statusChanges: { orderBy: [{ changedAt: 'desc' as const }, { eventId: 'desc' as const }], take: 1 } };

/**
 * Conversions from attribution's ledger, each caller seeing only its own.
 * For numbers over time, the reporting API is the place; this is for
 * looking up and checking single conversions.
 */
@Injectable()
export class ConversionsService {
  constructor(
    private readonly prisma: PrismaService,
  ) {}

  async list(actor: Actor, query: ConversionListQuery): Promise<Page<ConversionView>> {
    if (query.after !== undefined && !ID_PATTERN.test(query.after)) {
      throw invalid('after', 'must be a cursor from a previous page (a conversion id)');
    }
    const size = pageSize(query);
    const visibility = await this.visibility(actor);
    await checkTenantFilters(this.prisma, visibility, {
      offerIds: query.offerId === undefined ? [] : [query.offerId],
      affiliateIds: query.affiliateId === undefined ? [] : [query.affiliateId],
    });
    const rows = await this.prisma.conversion.findMany({
      where: {
        AND: [
          scope(actor),
          {
            offerId: query.offerId,
            affiliateId: query.affiliateId,
            convertedAt: { gte: query.from ? new Date(query.from) : undefined, lt: query.to ? new Date(query.to) : undefined },
            conversionId: { lt: query.after },
          },
        ],
      },
      include: withStatus,
      // Conversion ids sort by the time they were received: newest first.
      orderBy: { conversionId: 'desc' },
      take: size + 1,
    });
    return toPage(rows, size, (row) => row.conversionId, (row) => conversionView(row, visibility));
  }

  async get(actor: Actor, conversionId: string): Promise<ConversionView> {
    const row = await this.prisma.conversion.findFirst({ where: { AND: [scope(actor), { conversionId }] }, include: withStatus });
    if (!row) throw notFound('conversion', conversionId);
    return conversionView(row, await this.visibility(actor));
  }

  /** What the caller may see; whether advertisers see payouts is read per request, so a change applies at once. */
  private async visibility(actor: Actor): Promise<Visibility> {
    const settings = advertiserOf(actor) !== null ? await this.prisma.networkSettings.findUnique({ where: { id: 1 } }) : null;
    return visibilityOf(actor, { advertisersSeePayouts: settings?.advertisersSeePayouts ?? false });
  }
}

function scope(actor: Actor): Prisma.ConversionWhereInput {
  if (isAdmin(actor)) return {};
  const advertiserId = advertiserOf(actor);
  if (advertiserId !== null) return { advertiserId };
  return { affiliateId: affiliateOf(actor) ?? -1 };
}
