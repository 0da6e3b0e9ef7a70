import { Prisma } from '@tracklane/db';
import { AuditTrail, Tx } from './change-log';

/** Archives every live offer matched (an archived advertiser's offers must stop taking traffic). */
export async function archiveOffers(tx: Tx, trail: AuditTrail, where: Prisma.OfferWhereInput, at: Date): Promise<void> {
  const offers = await tx.offer.findMany({ where: { AND: [where, { status: { not: 'archived' } }] }, orderBy: { id: 'asc' } });
  for (const before of offers) {
    const after = await tx.offer.update({ where: { id: before.id }, data: { status: 'archived', archivedAt: at } });
    trail.record({ action: 'archive', entity: 'offer', entityId: after.id, before, after });
  }
}

/** Revokes every live key matched (an archived advertiser or affiliate must not keep access). */
export async function revokeApiKeys(tx: Tx, trail: AuditTrail, where: Prisma.ApiKeyWhereInput, at: Date): Promise<void> {
  const keys = await tx.apiKey.findMany({ where: { AND: [where, { revokedAt: null }] }, orderBy: { id: 'asc' } });
  for (const before of keys) {
    const after = await tx.apiKey.update({ where: { id: before.id }, data: { revokedAt: at } });
    trail.record({ action: 'revoke', entity: 'api_key', entityId: after.id, before, after });
  }
}
