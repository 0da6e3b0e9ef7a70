import { Pool, PoolClient } from 'pg';
import { inReadModelTransaction } from './projection-transaction';
import { fillDailyRollups } from './rollup-rebuild';

/** IANA names Postgres knows (pg_timezone_names): the only zones reports accept. */
export async function knownTimeZones(pool: Pool): Promise<Set<string>> {
  const { rows } = await pool.query<{ name: string }>('SELECT name FROM pg_timezone_names');
  return new Set(rows.map((row) => row.name));
}

export async function registeredDayZones(client: Pool | PoolClient): Promise<Set<string>> {
  const { rows } = await client.query<{ zone: string }>('SELECT zone FROM rep_day_zones');
  return new Set(rows.map((row) => row.zone));
}

/**
 * Gives each zone daily rollups: registers it and fills its days, while no
 * batch is being written (the read-model lock, exclusive).
 * Returns the zones this call added; zones already there are left alone.
 */
export async function registerDayZones(pool: Pool, zones: readonly string[]): Promise<string[]> {
  const present = await registeredDayZones(pool);
  const added: string[] = [];
  for (const zone of zones.filter((candidate) => !present.has(candidate))) {
    const isNew = await inReadModelTransaction(pool, 'exclusive', async (client) => {
      const { rowCount } = await client.query('INSERT INTO rep_day_zones (zone) VALUES ($1) ON CONFLICT DO NOTHING', [zone]);
      if (rowCount === 0) return false; // another instance registered it first
      await fillDailyRollups(client, zone);
      return true;
    });
    if (isNew) added.push(zone);
  }
  return added;
}
