import { Inject, Injectable } from '@nestjs/common';
import { InvalidationBus } from '@tracklane/cache';
import { announceCatalogChange, CatalogEntity } from '@tracklane/catalog';
import { Prisma, PrismaService } from '@tracklane/db';
import { LOGGER, Logger } from '@tracklane/observability';
import { Counter, Registry } from 'prom-client';
import { Actor } from '../access';
import { auditImage } from './audit-image';

export type Tx = Prisma.TransactionClient;
export type AuditedEntity = CatalogEntity | 'api_key' | 'visitor_data';

export interface AuditEntry {
  action: string;
  entity: AuditedEntity;
  entityId: string | number;
  before: object | null;
  after: object | null;
}

/** What a unit of work reports about what it changed. */
export class AuditTrail {
  readonly entries: AuditEntry[] = [];

  record(entry: AuditEntry): void {
    this.entries.push(entry);
  }
}

/** Audited changes no service's catalogue holds (keys, erasures) are not announced. */
const isCatalogEntity = (entity: AuditedEntity): entity is CatalogEntity => entity !== 'api_key' && entity !== 'visitor_data';

/**
 * Every change to the network goes through here: one transaction holds the
 * change and its audit rows (who, what, before, after), so neither exists
 * without the other; after the commit every service is told to reload its
 * catalogue. A failed announcement is logged and counted, not returned to
 * the caller: the change is committed, and readers' periodic reload picks it up.
 */
@Injectable()
export class ChangeLog {
  private readonly announceFailures: Counter;

  constructor(
    private readonly prisma: PrismaService,
    private readonly bus: InvalidationBus,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Registry,
  ) {
    this.announceFailures = new Counter({
      name: 'tracklane_management_catalog_announce_failures_total',
      help: 'Committed catalogue changes whose reload announcement could not be published',
      registers: [metrics],
    });
  }

  async apply<T>(actor: Actor, work: (tx: Tx, trail: AuditTrail) => Promise<T>): Promise<T> {
    const trail = new AuditTrail();
    const result = await this.prisma.$transaction(async (tx) => {
      const value = await work(tx, trail);
      if (trail.entries.length > 0) {
        await tx.auditLog.createMany({
          data: trail.entries.map((entry) => ({
            actorKeyId: actor.keyId,
            actorRole: actor.role,
            action: entry.action,
            entity: entry.entity,
            entityId: String(entry.entityId),
            before: (auditImage(entry.before) ?? Prisma.DbNull) as Prisma.InputJsonValue,
            after: (auditImage(entry.after) ?? Prisma.DbNull) as Prisma.InputJsonValue,
          })),
        });
      }
      return value;
    });
    for (const entry of trail.entries) {
      this.logger.info(
        { actorKeyId: actor.keyId, actorRole: actor.role, action: entry.action, entity: entry.entity, entityId: entry.entityId },
        'network changed',
      );
    }
    await this.announce(trail);
    return result;
  }

  /**
   * Every service reloads its whole catalogue on any announcement, so one per commit is enough (a bulk of 1,000
   * codes is one publish). It names the first change; its id only when that was all that changed.
   */
  private async announce(trail: AuditTrail): Promise<void> {
    const changes = trail.entries.filter((entry) => isCatalogEntity(entry.entity));
    if (changes.length === 0) return;
    const [first] = changes;
    const entity = first.entity as CatalogEntity;
    const entityId = changes.every((change) => change.entity === entity && change.entityId === first.entityId) ? first.entityId : null;
    try {
      await announceCatalogChange(this.bus, entity, entityId);
    } catch (error) {
      this.announceFailures.inc();
      this.logger.error({ err: error, entity, entityId }, 'catalogue change committed but not announced');
    }
  }
}
