import { Inject, Injectable } from '@nestjs/common';
import { PostbackStatus } from '@tracklane/contracts';
import { Affiliate, Prisma, PrismaService } from '@tracklane/db';
import { Actor, affiliateOf, conflict, forbidden, isAdmin, notFound, onlyFields } from '../access';
import { idCursor, listedStatus, Page, PageQuery, pageSize, toPage } from '../lists';
import { NETWORK_ADMIN_OPTIONS, NetworkAdminOptions } from '../network-admin.options';
import { newSigningSecret } from '../secrets';
import { checkPostbackTarget } from '../validation/postback-target';
import { affiliateHistory, ChangeLog, lockRow, Removal, revokeApiKeys, Tx } from '../changes';
import { AffiliateStatus, AffiliateView, affiliateView } from './affiliate.view';

export interface AffiliateInput {
  name: string;
  status?: Exclude<AffiliateStatus, 'archived'>;
  postbackUrl?: string | null;
  postbackMethod?: 'GET' | 'POST';
  postbackStatuses?: PostbackStatus[];
  /** Host names; a direct click referred from one of them (or a subdomain) is this affiliate's. Admins only. */
  referrerDomains?: string[];
}

export type AffiliatePatch = Partial<AffiliateInput>;

/** What an affiliate may change about itself: where and when it hears about conversions. */
export const AFFILIATE_SELF_SERVICE_FIELDS = ['postbackUrl', 'postbackMethod', 'postbackStatuses'];

export interface AffiliateWithSecret extends AffiliateView {
  /** Shown this once: the key of the signature header on the affiliate's postbacks. */
  postbackSecret: string;
}

@Injectable()
export class AffiliatesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: ChangeLog,
    @Inject(NETWORK_ADMIN_OPTIONS) private readonly options: NetworkAdminOptions,
  ) {}

  async list(actor: Actor, query: PageQuery & { status?: AffiliateStatus }): Promise<Page<AffiliateView>> {
    const size = pageSize(query);
    const rows = await this.prisma.affiliate.findMany({
      where: { AND: [scope(actor), listedStatus(query.status), { id: { gt: idCursor(query) } }] },
      orderBy: { id: 'asc' },
      take: size + 1,
    });
    return toPage(rows, size, (row) => String(row.id), affiliateView);
  }

  async get(actor: Actor, id: number): Promise<AffiliateView> {
    return affiliateView(await this.find(this.prisma, actor, id));
  }

  async create(actor: Actor, input: AffiliateInput): Promise<AffiliateWithSecret> {
    if (!isAdmin(actor)) throw forbidden('only admin keys create affiliates');
    checkPostbackTarget(this.options.postbackTargets, 'postbackUrl', input.postbackUrl);
    const postbackSecret = newSigningSecret();
    return this.changes.apply(actor, async (tx, trail) => {
      await checkDomainsFree(tx, null, input.referrerDomains);
      const row = await tx.affiliate.create({ data: { ...affiliateData(input), name: input.name, postbackSecret } });
      trail.record({ action: 'create', entity: 'affiliate', entityId: row.id, before: null, after: row });
      return { ...affiliateView(row), postbackSecret };
    });
  }

  async update(actor: Actor, id: number, patch: AffiliatePatch): Promise<AffiliateView> {
    if (!isAdmin(actor)) onlyFields(patch, AFFILIATE_SELF_SERVICE_FIELDS, 'affiliate keys');
    checkPostbackTarget(this.options.postbackTargets, 'postbackUrl', patch.postbackUrl);
    return this.changes.apply(actor, async (tx, trail) => {
      const before = await this.findLocked(tx, actor, id);
      const restoring = patch.status !== undefined && before.status === 'archived';
      await checkDomainsFree(tx, id, patch.referrerDomains);
      const after = await tx.affiliate.update({
        where: { id },
        data: { ...affiliateData(patch), archivedAt: restoring ? null : undefined },
      });
      trail.record({ action: restoring ? 'restore' : 'update', entity: 'affiliate', entityId: id, before, after });
      return affiliateView(after);
    });
  }

  /** Deletes an affiliate without history; archives one with history and revokes its API keys. */
  async remove(actor: Actor, id: number): Promise<Removal> {
    if (!isAdmin(actor)) throw forbidden('only admin keys delete affiliates');
    return this.changes.apply(actor, async (tx, trail) => {
      const before = await this.findLocked(tx, actor, id);
      if (before.status === 'archived') return { id, outcome: 'archived', reason: 'it was already archived' };
      const reason = await affiliateHistory(tx, id);
      if (reason === null) {
        await tx.affiliate.delete({ where: { id } });
        trail.record({ action: 'delete', entity: 'affiliate', entityId: id, before, after: null });
        return { id, outcome: 'deleted', reason: null };
      }
      const now = new Date();
      const after = await tx.affiliate.update({ where: { id }, data: { status: 'archived', archivedAt: now } });
      trail.record({ action: 'archive', entity: 'affiliate', entityId: id, before, after });
      await revokeApiKeys(tx, trail, { affiliateId: id }, now);
      return { id, outcome: 'archived', reason };
    });
  }

  async rotatePostbackSecret(actor: Actor, id: number): Promise<{ affiliateId: number; postbackSecret: string }> {
    const postbackSecret = newSigningSecret();
    return this.changes.apply(actor, async (tx, trail) => {
      const before = await this.findLocked(tx, actor, id);
      const after = await tx.affiliate.update({ where: { id }, data: { postbackSecret } });
      trail.record({ action: 'rotate_postback_secret', entity: 'affiliate', entityId: id, before, after });
      return { affiliateId: id, postbackSecret };
    });
  }

  private async find(db: Tx, actor: Actor, id: number): Promise<Affiliate> {
    const row = await db.affiliate.findFirst({ where: { AND: [scope(actor), { id }] } });
    if (!row) throw notFound('affiliate', id);
    return row;
  }

  private async findLocked(tx: Tx, actor: Actor, id: number): Promise<Affiliate> {
    await lockRow(tx, 'affiliates', id);
    return this.find(tx, actor, id);
  }
}

/** Admins see every affiliate, an affiliate key only its own, anyone else none. */
function scope(actor: Actor): Prisma.AffiliateWhereInput {
  return isAdmin(actor) ? {} : { id: affiliateOf(actor) ?? -1 };
}

function affiliateData(input: AffiliatePatch) {
  return {
    name: input.name,
    status: input.status,
    postbackUrl: input.postbackUrl,
    postbackMethod: input.postbackMethod,
    postbackStatuses: input.postbackStatuses && [...new Set(input.postbackStatuses)],
    referrerDomains: input.referrerDomains && normalisedDomains(input.referrerDomains),
  };
}

/** Lower case, without a leading "www." (a subdomain matches anyway), each once. */
function normalisedDomains(domains: string[]): string[] {
  return [...new Set(domains.map((domain) => domain.toLowerCase().replace(/^www\./, '')))];
}

/**
 * A domain names one affiliate: a direct click referred from it must not be two affiliates' click. Checked
 * under a transaction-level advisory lock, so two changes at once cannot both take the same domain.
 */
async function checkDomainsFree(tx: Tx, affiliateId: number | null, domains: string[] | undefined): Promise<void> {
  if (!domains || domains.length === 0) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('affiliates.referrer_domains'))`;
  const wanted = normalisedDomains(domains);
  const holder = await tx.affiliate.findFirst({
    where: { referrerDomains: { hasSome: wanted }, ...(affiliateId === null ? {} : { id: { not: affiliateId } }) },
    select: { id: true, referrerDomains: true },
  });
  if (holder) {
    const taken = wanted.filter((domain) => holder.referrerDomains.includes(domain));
    throw conflict('referrerDomains', `${taken.join(', ')} already names affiliate ${holder.id}`);
  }
}
