import { Inject, Injectable } from '@nestjs/common';
import { ParamMapping } from '@tracklane/catalog';
import { Advertiser, Prisma, PrismaService } from '@tracklane/db';
import { Actor, advertiserOf, forbidden, isAdmin, notFound, onlyFields } from '../access';
import { idCursor, listedStatus, Page, PageQuery, pageSize, toPage } from '../lists';
import { newPostbackToken, newSigningSecret } from '../secrets';
import { advertiserHistory, archiveOffers, ChangeLog, lockRow, Removal, revokeApiKeys, Tx } from '../changes';
import { NETWORK_ADMIN_OPTIONS, NetworkAdminOptions } from '../network-admin.options';
import { AdvertiserStatus, AdvertiserView, advertiserView } from './advertiser.view';
import { ADVERTISER_POSTBACK_PARAMETERS, advertiserPostbackUrl, presetPostbackRequest, type PresetPostbackRequest } from './postback-url';

export interface AdvertiserInput {
  name: string;
  status?: 'active' | 'paused';
  requireSignature?: boolean;
  ipAllowlist?: string[];
  paramMapping?: ParamMapping;
}

export type AdvertiserPatch = Partial<AdvertiserInput>;

/** What an advertiser may change about itself: how its postbacks are authenticated and read. */
export const ADVERTISER_SELF_SERVICE_FIELDS = ['requireSignature', 'ipAllowlist', 'paramMapping'];

export interface AdvertiserWithSecret extends AdvertiserView {
  /** Shown this once; store it where the advertiser's server signs postbacks. */
  signingSecret: string;
}

export interface AdvertiserPostbackUrlView {
  advertiserId: number;
  url: string;
  requireSignature: boolean;
  parameters: Record<string, string>;
  goals: Array<{ offerId: number; offerName: string; code: string; name: string; isDefault: boolean }>;
  /** When the advertiser's mapping names a partner preset: the call in that partner's format. */
  preset: PresetPostbackRequest | null;
}

@Injectable()
export class AdvertisersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: ChangeLog,
    @Inject(NETWORK_ADMIN_OPTIONS) private readonly options: NetworkAdminOptions,
  ) {}

  async list(actor: Actor, query: PageQuery & { status?: AdvertiserStatus }): Promise<Page<AdvertiserView>> {
    const size = pageSize(query);
    const rows = await this.prisma.advertiser.findMany({
      where: { AND: [scope(actor), listedStatus(query.status), { id: { gt: idCursor(query) } }] },
      orderBy: { id: 'asc' },
      take: size + 1,
    });
    return toPage(rows, size, (row) => String(row.id), advertiserView);
  }

  async get(actor: Actor, id: number): Promise<AdvertiserView> {
    return advertiserView(await this.find(this.prisma, actor, id));
  }

  async create(actor: Actor, input: AdvertiserInput): Promise<AdvertiserWithSecret> {
    if (!isAdmin(actor)) throw forbidden('only admin keys create advertisers');
    // Generated up front so an advertiser can switch signatures on without another round trip.
    const signingSecret = newSigningSecret();
    return this.changes.apply(actor, async (tx, trail) => {
      const row = await tx.advertiser.create({
        data: {
          name: input.name,
          status: input.status,
          postbackToken: newPostbackToken(),
          signingSecret,
          requireSignature: input.requireSignature,
          ipAllowlist: input.ipAllowlist,
          paramMapping: input.paramMapping as Prisma.InputJsonValue | undefined,
        },
      });
      trail.record({ action: 'create', entity: 'advertiser', entityId: row.id, before: null, after: row });
      return { ...advertiserView(row), signingSecret };
    });
  }

  async update(actor: Actor, id: number, patch: AdvertiserPatch): Promise<AdvertiserView> {
    if (!isAdmin(actor)) onlyFields(patch, ADVERTISER_SELF_SERVICE_FIELDS, 'advertiser keys');
    return this.changes.apply(actor, async (tx, trail) => {
      const before = await this.findLocked(tx, actor, id);
      const restoring = patch.status !== undefined && before.status === 'archived';
      const after = await tx.advertiser.update({
        where: { id },
        data: {
          name: patch.name,
          status: patch.status,
          requireSignature: patch.requireSignature,
          ipAllowlist: patch.ipAllowlist,
          paramMapping: patch.paramMapping as Prisma.InputJsonValue | undefined,
          archivedAt: restoring ? null : undefined,
        },
      });
      trail.record({ action: restoring ? 'restore' : 'update', entity: 'advertiser', entityId: id, before, after });
      return advertiserView(after);
    });
  }

  /** Deletes an advertiser without history; archives one with history, with its offers and API keys. */
  async remove(actor: Actor, id: number): Promise<Removal> {
    if (!isAdmin(actor)) throw forbidden('only admin keys delete advertisers');
    return this.changes.apply(actor, async (tx, trail) => {
      const before = await this.findLocked(tx, actor, id);
      if (before.status === 'archived') return { id, outcome: 'archived', reason: 'it was already archived' };
      const reason = await advertiserHistory(tx, id);
      if (reason === null) {
        await tx.advertiser.delete({ where: { id } });
        trail.record({ action: 'delete', entity: 'advertiser', entityId: id, before, after: null });
        return { id, outcome: 'deleted', reason: null };
      }
      const now = new Date();
      const after = await tx.advertiser.update({ where: { id }, data: { status: 'archived', archivedAt: now } });
      trail.record({ action: 'archive', entity: 'advertiser', entityId: id, before, after });
      await archiveOffers(tx, trail, { advertiserId: id }, now);
      await revokeApiKeys(tx, trail, { advertiserId: id }, now);
      return { id, outcome: 'archived', reason };
    });
  }

  /** A new postback token; postbacks with the old one are refused from now on. */
  async rotatePostbackToken(actor: Actor, id: number): Promise<AdvertiserView> {
    return this.changes.apply(actor, async (tx, trail) => {
      const before = await this.findLocked(tx, actor, id);
      const after = await tx.advertiser.update({ where: { id }, data: { postbackToken: newPostbackToken() } });
      trail.record({ action: 'rotate_postback_token', entity: 'advertiser', entityId: id, before, after });
      return advertiserView(after);
    });
  }

  async rotateSigningSecret(actor: Actor, id: number): Promise<{ advertiserId: number; signingSecret: string }> {
    const signingSecret = newSigningSecret();
    return this.changes.apply(actor, async (tx, trail) => {
      const before = await this.findLocked(tx, actor, id);
      const after = await tx.advertiser.update({ where: { id }, data: { signingSecret } });
      trail.record({ action: 'rotate_signing_secret', entity: 'advertiser', entityId: id, before, after });
      return { advertiserId: id, signingSecret };
    });
  }

  /** The URL template the advertiser's server calls, with its token, and the goal codes it may send. */
  async postbackUrl(actor: Actor, id: number): Promise<AdvertiserPostbackUrlView> {
    const advertiser = await this.find(this.prisma, actor, id);
    const offers = await this.prisma.offer.findMany({
      where: { advertiserId: id, status: { not: 'archived' } },
      include: { goals: { where: { status: 'active' }, orderBy: { id: 'asc' } } },
      orderBy: { id: 'asc' },
    });
    return {
      advertiserId: id,
      url: advertiserPostbackUrl(this.options.postbackIngestUrl, advertiser.postbackToken),
      requireSignature: advertiser.requireSignature,
      parameters: ADVERTISER_POSTBACK_PARAMETERS,
      goals: offers.flatMap((offer) =>
        offer.goals.map((goal) => ({ offerId: offer.id, offerName: offer.name, code: goal.code, name: goal.name, isDefault: goal.isDefault })),
      ),
      preset: presetPostbackRequest(advertiser.paramMapping, this.options.postbackIngestUrl, advertiser.postbackToken),
    };
  }

  private async find(db: Tx, actor: Actor, id: number): Promise<Advertiser> {
    const row = await db.advertiser.findFirst({ where: { AND: [scope(actor), { id }] } });
    if (!row) throw notFound('advertiser', id);
    return row;
  }

  private async findLocked(tx: Tx, actor: Actor, id: number): Promise<Advertiser> {
    await lockRow(tx, 'advertisers', id);
    return this.find(tx, actor, id);
  }
}

/** Admins see every advertiser, an advertiser key only its own, anyone else none. */
function scope(actor: Actor): Prisma.AdvertiserWhereInput {
  return isAdmin(actor) ? {} : { id: advertiserOf(actor) ?? -1 };
}
