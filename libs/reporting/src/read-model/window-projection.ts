import { AttributionV1, ClickV1 } from '@tracklane/contracts';
import { arrayLiteral } from '@tracklane/db';
import { decideConversions, stateCtes, stateParameters } from './attribution-projection';
import { CLICK_PARAMETERS, clickCtes, clickParameters } from './click-projection';
import { Anomaly } from './conversion-states';
import { ReadModelTx } from './projection-transaction';
import { clickFacts, conversionFacts, negatedFacts } from './raw-facts';
import { rollupWriteCtes } from './rollup-sql';

/**
 * One statement for a whole window: new clicks into rep_clicks, new
 * conversion states into rep_conversions, and into every rollup the sum of
 * what changed (each new click, each old state taken back, each new state
 * added), grouped by rollup row first, so that a rollup row is written once
 * per window however many partitions and events touched it.
 */
const RECORD_WINDOW = `
WITH ${clickCtes(1)},
${stateCtes(CLICK_PARAMETERS + 1)},
facts AS (
  ${clickFacts('inserted_clicks')}
  UNION ALL
  ${negatedFacts(conversionFacts('old_states'))}
  UNION ALL
  ${conversionFacts('saved_states')}
),
${rollupWriteCtes({ source: 'facts' }).join(',\n')}
SELECT (SELECT count(*) FROM inserted_clicks)::int AS clicks`;

export interface WindowRecorded {
  /** Clicks seen for the first time (and counted). */
  clicks: number;
  /** Attribution events seen for the first time (and applied). */
  attributions: number;
  anomalies: Anomaly[];
}

/**
 * Records a window of clicks and attribution events in the caller's
 * transaction (inReadModelTransaction): what was recorded before is
 * skipped, the rest changes the raw tables and the rollups together. Events
 * keep their order per conversion (the order they are given in).
 */
export async function recordWindow(tx: ReadModelTx, clicks: readonly ClickV1[], events: readonly AttributionV1[]): Promise<WindowRecorded> {
  // Planned costs of this statement pass JIT's thresholds, and compiling it took seconds per batch (see the README's profile).
  await tx.$executeRaw`SET LOCAL jit = off`;
  const decided = await decideConversions(tx, events);
  if (clicks.length === 0 && decided.states.length === 0) return { clicks: 0, attributions: decided.applied, anomalies: decided.anomalies };
  const parameters = [...clickParameters(clicks), ...stateParameters(decided.states)].map(arrayLiteral);
  // The statement is built once from constants, its CTEs numbering their own $n::type[] parameters, so it is
  // Prisma's "unsafe" raw call; every value is bound, never spliced in. Unnamed, planned on every window (about
  // 2 ms): a named statement lives on one server connection, and behind PgBouncer in transaction mode the next
  // window's transaction may get another one, where it does not exist.
  const [recorded] = await tx.$queryRawUnsafe<[{ clicks: number }]>(RECORD_WINDOW, ...parameters);
  return { clicks: recorded.clicks, attributions: decided.applied, anomalies: decided.anomalies };
}
