import { Injectable } from '@nestjs/common';
import { AuditLog, PrismaService } from '@tracklane/db';
import { Actor, forbidden, invalid, isAdmin } from '../access';
import { Page, PageQuery, pageSize, toPage } from '../lists';

export interface AuditEntryView {
  id: string;
  at: string;
  /** null for changes made by the seed or other operator tools. */
  actorKeyId: number | null;
  actorRole: string;
  action: string;
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface AuditLogQuery extends PageQuery {
  entity?: string;
  entityId?: string;
  actorKeyId?: number;
}

const view = (row: AuditLog): AuditEntryView => ({
  id: row.id.toString(),
  at: row.at.toISOString(),
  actorKeyId: row.actorKeyId,
  actorRole: row.actorRole,
  action: row.action,
  entity: row.entity,
  entityId: row.entityId,
  before: row.before as Record<string, unknown> | null,
  after: row.after as Record<string, unknown> | null,
});

/** Who changed what, newest first. Admin only. */
@Injectable()
export class AuditLogService {
  constructor(private readonly prisma: PrismaService) {}

  async list(actor: Actor, query: AuditLogQuery): Promise<Page<AuditEntryView>> {
    if (!isAdmin(actor)) throw forbidden('the audit log is read with admin keys');
    if (query.after !== undefined && !/^\d{1,18}$/.test(query.after)) {
      throw invalid('after', 'must be a cursor from a previous page');
    }
    const size = pageSize(query);
    const rows = await this.prisma.auditLog.findMany({
      where: {
        entity: query.entity,
        entityId: query.entityId,
        actorKeyId: query.actorKeyId,
        id: query.after === undefined ? undefined : { lt: BigInt(query.after) },
      },
      orderBy: { id: 'desc' },
      take: size + 1,
    });
    return toPage(rows, size, (row) => row.id.toString(), view);
  }
}
