import { PrismaService } from '@tracklane/db';
import { inReadModelTransaction, ReadModelTx } from './projection-transaction';
import { fillDailyRollups } from './rollup-rebuild';

/** IANA names Postgres knows (pg_timezone_names): the only zones reports accept. */
export async function knownTimeZones(prisma: PrismaService): Promise<Set<string>> {
  const rows = await prisma.$queryRaw<{ name: string }[]>`SELECT name FROM pg_timezone_names`;
  return new Set(rows.map((row) => row.name));
}

/** A model call. */
export async function registeredDayZones(prisma: PrismaService | ReadModelTx): Promise<Set<string>> {
  const rows = await prisma.reportingDayZone.findMany({ select: { zone: true } });
  return new Set(rows.map((row) => row.zone));
}

/**
 * Gives each zone daily rollups: registers it and fills its days, while no
 * batch is being written (the read-model lock, exclusive).
 * Returns the zones this call added; zones already there are left alone.
 */
export async function registerDayZones(prisma: PrismaService, zones: readonly string[]): Promise<string[]> {
  const present = await registeredDayZones(prisma);
  const added: string[] = [];
  for (const zone of zones.filter((candidate) => !present.has(candidate))) {
    const isNew = await inReadModelTransaction(prisma, 'exclusive', async (tx) => {
      const { count } = await tx.reportingDayZone.createMany({ data: [{ zone }], skipDuplicates: true });
      if (count === 0) return false; // another instance registered it first
      await fillDailyRollups(tx, zone);
      return true;
    });
    if (isNew) added.push(zone);
  }
  return added;
}
