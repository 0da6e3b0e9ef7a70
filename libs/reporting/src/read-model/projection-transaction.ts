import { Prisma, PrismaService } from '@tracklane/db';

/**
 * Writers of the read model hold this advisory lock shared; registering a
 * new day zone holds it exclusively while it backfills, so no batch can slip
 * between the backfill's snapshot and the zone becoming visible to writers.
 */
const READ_MODEL_LOCK = 7_246_351_500;

export type LockMode = 'shared' | 'exclusive';

export type ReadModelTx = Prisma.TransactionClient;

/**
 * One Prisma transaction holding the read-model lock. A window's is bounded
 * by the service's transaction limit; an exclusive one backfills a zone or
 * rebuilds every rollup, which takes minutes on a large read model, so it may
 * run for hours.
 */
export function inReadModelTransaction<T>(prisma: PrismaService, mode: LockMode, work: (tx: ReadModelTx) => Promise<T>): Promise<T> {
  return prisma.$transaction(
    async (tx) => {
      if (mode === 'shared') await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${READ_MODEL_LOCK}::bigint)`;
      else await tx.$executeRaw`SELECT pg_advisory_xact_lock(${READ_MODEL_LOCK}::bigint)`;
      return work(tx);
    },
    mode === 'exclusive' ? { timeout: 6 * 3_600_000 } : undefined,
  );
}
