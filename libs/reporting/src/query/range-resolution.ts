import { PoolClient } from 'pg';
import { TimeGrain } from './dimensions';
import { ParameterError } from './parameter-error';
import { ResolvedRange } from './read-plan';
import { TimeInput } from './time-input';

const DAY_MS = 86_400_000;

export interface RangeLimits {
  /** Longest range any report may cover. */
  maxDays: number;
  /** Longest range a report grouped by hour may cover. */
  maxHourlyDays: number;
}

// Runs in the report's transaction (session TimeZone = the report's zone).
const RESOLVE = `
WITH r AS (
  SELECT $1::text::timestamptz AS f,
         CASE WHEN $3::boolean THEN ($2::text::date + 1)::timestamptz ELSE $2::text::timestamptz END AS t
), m AS (
  SELECT r.f, r.t,
         CASE WHEN date_trunc('day', r.f) = r.f THEN r.f ELSE date_trunc('day', r.f) + interval '1 day' END AS first_midnight,
         date_trunc('day', r.t) AS last_midnight
  FROM r
)
SELECT m.f, m.t, m.first_midnight, m.last_midnight,
       to_char(m.first_midnight, 'YYYY-MM-DD') AS first_day, to_char(m.last_midnight, 'YYYY-MM-DD') AS last_day,
       CASE WHEN $4::text IS NULL OR m.t <= m.f OR m.t - m.f > $5::interval THEN '{}'::timestamptz[]
            ELSE ARRAY(SELECT e FROM generate_series(date_trunc($4::text, m.f), m.t, ('1 ' || $4::text)::interval) e
                       WHERE e > m.f AND e < m.t ORDER BY e)
       END AS edges
FROM m`;

/**
 * Turns from/to into instants in the report's zone, checks the range, and
 * lists the bucket edges inside it, all with Postgres's time zone rules (the
 * same rules that cut the buckets).
 */
export async function resolveRange(
  client: PoolClient,
  from: TimeInput,
  to: TimeInput,
  grain: TimeGrain | null,
  limits: RangeLimits,
): Promise<ResolvedRange> {
  const maxDays = grain === 'hour' ? limits.maxHourlyDays : limits.maxDays;
  const { rows } = await client.query(RESOLVE, [from.text, to.text, to.kind === 'date', grain, `${maxDays} days`]);
  const row = rows[0];
  const range: ResolvedRange = {
    from: row.f,
    to: row.t,
    edges: row.edges,
    firstMidnight: row.first_midnight,
    lastMidnight: row.last_midnight,
    firstDay: row.first_day,
    lastDay: row.last_day,
  };
  if (range.to <= range.from) throw new ParameterError('from', 'must be before to');
  const days = (range.to.getTime() - range.from.getTime()) / DAY_MS;
  if (grain === 'hour' && days > limits.maxHourlyDays) {
    throw new ParameterError('group_by', `hour covers at most ${limits.maxHourlyDays} days; this range covers ${Math.ceil(days)}`);
  }
  if (days > limits.maxDays) throw new ParameterError('to', `a report covers at most ${limits.maxDays} days; this range covers ${Math.ceil(days)}`);
  return range;
}
