import { Injectable } from '@nestjs/common';
import { ApiKeyRole, issueApiKey } from '@tracklane/api-keys';
import { Prisma, PrismaService } from '@tracklane/db';
import { Actor, forbidden, invalid, isAdmin, notFound } from '../access';
import { idCursor, Page, PageQuery, pageSize, toPage } from '../lists';
import { ChangeLog, lockRow, Tx } from '../changes';
import { ApiKeyView, apiKeyView, IssuedApiKeyView } from './api-key.view';

export interface ApiKeyInput {
  name: string;
  /** Admin keys choose; advertiser and affiliate keys may only create keys of their own kind. */
  role?: ApiKeyRole;
  advertiserId?: number | null;
  affiliateId?: number | null;
  readOnly?: boolean;
}

export interface ApiKeyListQuery extends PageQuery {
  role?: ApiKeyRole;
  advertiserId?: number;
  affiliateId?: number;
  includeRevoked?: boolean;
}

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: ChangeLog,
  ) {}

  async list(actor: Actor, query: ApiKeyListQuery): Promise<Page<ApiKeyView>> {
    const size = pageSize(query);
    const rows = await this.prisma.apiKey.findMany({
      where: {
        AND: [
          scope(actor),
          { role: query.role, advertiserId: query.advertiserId, affiliateId: query.affiliateId, id: { gt: idCursor(query) } },
          query.includeRevoked ? {} : { revokedAt: null },
        ],
      },
      orderBy: { id: 'asc' },
      take: size + 1,
    });
    return toPage(rows, size, (row) => String(row.id), apiKeyView);
  }

  async get(actor: Actor, id: number): Promise<ApiKeyView> {
    return apiKeyView(await this.find(this.prisma, actor, id));
  }

  /** Issues a key. The response is the only place the key ever appears. */
  async create(actor: Actor, input: ApiKeyInput): Promise<IssuedApiKeyView> {
    const owner = isAdmin(actor) ? adminChosenOwner(input) : ownOwner(actor, input);
    const issued = issueApiKey();
    return this.changes.apply(actor, async (tx, trail) => {
      await checkOwnerLive(tx, owner);
      const row = await tx.apiKey.create({
        data: { keyPrefix: issued.prefix, keyHash: issued.hash, name: input.name, readOnly: input.readOnly ?? false, ...owner },
      });
      trail.record({ action: 'create', entity: 'api_key', entityId: row.id, before: null, after: row });
      return { ...apiKeyView(row), key: issued.key };
    });
  }

  /** Revokes a key: the next request made with it is refused with 401. Revoking twice changes nothing. */
  async revoke(actor: Actor, id: number): Promise<ApiKeyView> {
    return this.changes.apply(actor, async (tx, trail) => {
      await lockRow(tx, 'api_keys', id);
      const before = await this.find(tx, actor, id);
      if (before.revokedAt) return apiKeyView(before);
      const after = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
      trail.record({ action: 'revoke', entity: 'api_key', entityId: id, before, after });
      return apiKeyView(after);
    });
  }

  private async find(db: Tx, actor: Actor, id: number) {
    const row = await db.apiKey.findFirst({ where: { AND: [scope(actor), { id }] } });
    if (!row) throw notFound('API key', id);
    return row;
  }
}

interface Owner {
  role: ApiKeyRole;
  advertiserId: number | null;
  affiliateId: number | null;
}

function scope(actor: Actor): Prisma.ApiKeyWhereInput {
  if (isAdmin(actor)) return {};
  if (actor.role === 'advertiser') return { advertiserId: actor.advertiserId ?? -1 };
  return { affiliateId: actor.affiliateId ?? -1 };
}

function adminChosenOwner(input: ApiKeyInput): Owner {
  const role = input.role;
  if (role === undefined) throw invalid('role', 'is required: admin, advertiser or affiliate');
  const advertiserId = input.advertiserId ?? null;
  const affiliateId = input.affiliateId ?? null;
  if (role === 'advertiser' && advertiserId === null) throw invalid('advertiserId', 'is required for an advertiser key');
  if (role !== 'advertiser' && advertiserId !== null) throw invalid('advertiserId', `must be absent for an ${role} key`);
  if (role === 'affiliate' && affiliateId === null) throw invalid('affiliateId', 'is required for an affiliate key');
  if (role !== 'affiliate' && affiliateId !== null) throw invalid('affiliateId', `must be absent for an ${role} key`);
  return { role, advertiserId, affiliateId };
}

/** Advertisers and affiliates issue keys for themselves only (e.g. a read-only key for a reporting tool). */
function ownOwner(actor: Actor, input: ApiKeyInput): Owner {
  const own: Owner = { role: actor.role as ApiKeyRole, advertiserId: actor.advertiserId, affiliateId: actor.affiliateId };
  if (input.role !== undefined && input.role !== own.role) throw forbidden(`${own.role} keys may only create ${own.role} keys`);
  if (input.advertiserId != null && input.advertiserId !== own.advertiserId) throw forbidden('keys may only be created for yourself');
  if (input.affiliateId != null && input.affiliateId !== own.affiliateId) throw forbidden('keys may only be created for yourself');
  return own;
}

async function checkOwnerLive(tx: Tx, owner: Owner): Promise<void> {
  if (owner.advertiserId !== null) {
    const advertiser = await tx.advertiser.findUnique({ where: { id: owner.advertiserId }, select: { status: true } });
    if (!advertiser) throw invalid('advertiserId', `names no advertiser (${owner.advertiserId})`);
    if (advertiser.status === 'archived') throw invalid('advertiserId', `names an archived advertiser (${owner.advertiserId})`);
  }
  if (owner.affiliateId !== null) {
    const affiliate = await tx.affiliate.findUnique({ where: { id: owner.affiliateId }, select: { status: true } });
    if (!affiliate) throw invalid('affiliateId', `names no affiliate (${owner.affiliateId})`);
    if (affiliate.status === 'archived') throw invalid('affiliateId', `names an archived affiliate (${owner.affiliateId})`);
  }
}
