import { Pool, PoolClient } from 'pg';
import { ReportLimits, beginReport } from './report-transaction';
import { Sql } from './sql-params';

const FETCH_ROWS = 2000;

/** Rows of a query read through a server-side cursor, a batch at a time. */
export interface RowCursor {
  batches(): AsyncGenerator<(string | null)[][]>;
  /** Gives the connection back if reading never finished (safe to call twice). */
  close(): Promise<void>;
}

/**
 * Opens a report's cursor. Everything that can refuse the request (range
 * checks, bad parameters) happens in `prepare`, before the caller has sent a
 * byte; after that only Postgres can fail. The connection goes back to the
 * pool when the rows are read, when reading fails, or when the consumer
 * stops early (a client that hung up).
 */
export async function openCursor(
  pool: Pool,
  zone: string,
  limits: ReportLimits,
  prepare: (client: PoolClient) => Promise<Sql>,
): Promise<RowCursor> {
  const client = await pool.connect();
  try {
    await beginReport(client, zone, limits);
    const sql = await prepare(client);
    await client.query({ text: `DECLARE report_rows NO SCROLL CURSOR FOR ${sql.text}`, values: sql.values });
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    throw error;
  }
  let released = false;
  const release = async (outcome: 'COMMIT' | 'ROLLBACK') => {
    if (released) return;
    released = true;
    await client.query(outcome).catch(() => undefined);
    client.release();
  };
  return {
    async *batches() {
      try {
        while (!released) {
          const { rows } = await client.query<(string | null)[]>({ text: `FETCH ${FETCH_ROWS} FROM report_rows`, rowMode: 'array' });
          if (rows.length === 0) break;
          yield rows;
        }
        await release('COMMIT');
      } finally {
        await release('ROLLBACK');
      }
    },
    close: () => release('ROLLBACK'),
  };
}
