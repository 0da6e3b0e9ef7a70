import { AttributionV1 } from '@tracklane/contracts';
import { arrayLiteral } from '@tracklane/db';
import { Anomaly, ConversionRow, applyAttributions } from './conversion-states';
import type { ReadModelTx } from './projection-transaction';

const EVENT_COLUMNS: [name: string, type: string, value: (event: AttributionV1) => unknown][] = [
  ['event_id', 'text', (event) => event.eventId],
  ['conversion_id', 'text', (event) => event.conversionId],
  ['kind', 'text', (event) => event.kind],
  ['status', 'text', (event) => event.status],
  ['previous_status', 'text', (event) => event.previousStatus],
  ['reason', 'text', (event) => event.reason],
  ['revenue', 'numeric', (event) => event.revenue],
  ['payout', 'numeric', (event) => event.payout],
  ['currency', 'text', (event) => event.currency],
  ['decided_at', 'timestamptz', (event) => event.decidedAt],
];

const RECORD_EVENTS = `
INSERT INTO rep_attribution_events (${EVENT_COLUMNS.map(([name]) => name).join(', ')})
SELECT * FROM unnest(${EVENT_COLUMNS.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ')})
ON CONFLICT (event_id, decided_at) DO NOTHING
RETURNING event_id`;

const STATE_COLUMNS: [name: keyof ConversionRow, type: string][] = [
  ['conversion_id', 'text'],
  ['click_id', 'text'],
  ['advertiser_id', 'int'],
  ['offer_id', 'int'],
  ['affiliate_id', 'int'],
  ['goal_id', 'int'],
  ['goal_code', 'text'],
  ['status', 'text'],
  ['reason', 'text'],
  ['revenue', 'numeric'],
  ['payout', 'numeric'],
  ['currency', 'text'],
  ['sale_amount', 'numeric'],
  ['order_id', 'text'],
  ['clicked_at', 'timestamptz'],
  ['converted_at', 'timestamptz'],
  ['first_decided_at', 'timestamptz'],
  ['last_decided_at', 'timestamptz'],
  ['sub1', 'text'],
  ['sub2', 'text'],
  ['sub3', 'text'],
  ['sub4', 'text'],
  ['sub5', 'text'],
  ['source', 'text'],
  ['aff_click_id', 'text'],
  ['country', 'text'],
  ['device', 'text'],
  ['last_event_id', 'text'],
  ['coupon_code', 'text'],
];

const stateNames = STATE_COLUMNS.map(([name]) => name);

// Times as text keep their microseconds on the way back to Postgres; amounts as text stay exact strings.
const LOCK_STATES = `
SELECT ${STATE_COLUMNS.map(([name, type]) => (type === 'timestamptz' || type === 'numeric' ? `${name}::text AS ${name}` : name)).join(', ')}
FROM rep_conversions WHERE conversion_id = ANY($1::text[])
ORDER BY conversion_id
FOR UPDATE`;

/**
 * CTEs that replace conversions' states: `old_states` holds the states being
 * replaced (every CTE sees the table as it was before the statement) and
 * `saved_states` the new ones, so the rollups can take back each old state
 * and add each new one. Parameters from $first on: stateParameters.
 */
export function stateCtes(first: number): string {
  return `incoming_states AS (
  SELECT * FROM unnest(${STATE_COLUMNS.map(([, type], index) => `$${first + index}::${type}[]`).join(', ')}) AS i(${stateNames.join(', ')})
),
old_states AS (
  SELECT * FROM rep_conversions WHERE conversion_id IN (SELECT conversion_id FROM incoming_states)
),
saved_states AS (
  INSERT INTO rep_conversions (${stateNames.join(', ')})
  SELECT ${stateNames.join(', ')} FROM incoming_states
  ON CONFLICT (conversion_id, converted_at) DO UPDATE SET ${stateNames
    .filter((name) => name !== 'conversion_id' && name !== 'converted_at')
    .map((name) => `${name} = excluded.${name}`)
    .join(', ')}
  RETURNING *
)`;
}

export function stateParameters(states: readonly ConversionRow[]): unknown[][] {
  return STATE_COLUMNS.map(([name]) => states.map((state) => state[name]));
}

export interface DecidedConversions {
  /** Events seen for the first time (and applied). */
  applied: number;
  anomalies: Anomaly[];
  /** The new state of every conversion they touched, to be saved with stateCtes. */
  states: ConversionRow[];
}

/**
 * Records new attributions.v1 events in the caller's transaction (events
 * already recorded are skipped), locks the conversions they touch and works
 * out those conversions' new states, in event order.
 */
export async function decideConversions(tx: ReadModelTx, events: readonly AttributionV1[]): Promise<DecidedConversions> {
  if (events.length === 0) return { applied: 0, anomalies: [], states: [] };
  // Built from constants with numbered parameters, as the window's statement (window-projection.ts).
  const recorded = await tx.$queryRawUnsafe<{ event_id: string }[]>(RECORD_EVENTS, ...EVENT_COLUMNS.map(([, , value]) => arrayLiteral(events.map(value))));
  const fresh = new Set(recorded.map((row) => row.event_id));
  if (fresh.size === 0) return { applied: 0, anomalies: [], states: [] };

  // A batch may repeat an event; only its first copy counts.
  const toApply = events.filter((event) => fresh.delete(event.eventId));
  const ids = [...new Set(toApply.map((event) => event.conversionId))];
  const rows = await tx.$queryRawUnsafe<ConversionRow[]>(LOCK_STATES, arrayLiteral(ids));
  const { states, anomalies } = applyAttributions(new Map(rows.map((row) => [row.conversion_id, row])), toApply);
  return { applied: toApply.length, anomalies, states };
}
