import { Pool } from 'pg';

export interface BooksReport {
  /** No unbalanced event, no mismatch, and equal totals. */
  balanced: boolean;
  /** Events whose entries do not sum to zero. */
  unbalancedEvents: string[];
  /** Conversions whose net money per account and state differs from what their current status says. */
  mismatches: Array<{ conversionId: string; state: string; account: string; expected: string; actual: string }>;
  /** Net approved and pending money, from the ledger and from the conversions table. */
  totals: {
    ledger: Record<string, string>;
    conversions: Record<string, string>;
  };
}

const CURRENT = `
  SELECT c.conversion_id, c.revenue, c.payout,
         coalesce((SELECT s.to_status FROM conversion_status_changes s
                   WHERE s.conversion_id = c.conversion_id ORDER BY s.seq DESC LIMIT 1), c.status) AS status
  FROM conversions c`;

const EXPECTED = `
  SELECT cur.conversion_id, st.state, a.account,
         CASE WHEN cur.status = st.state THEN
           CASE a.account WHEN 'advertiser_receivable' THEN cur.revenue
                          WHEN 'affiliate_payable' THEN -cur.payout
                          ELSE -(cur.revenue - cur.payout) END
         ELSE 0 END AS amount
  FROM (${CURRENT}) cur
  CROSS JOIN (VALUES ('approved'), ('pending')) st(state)
  CROSS JOIN (VALUES ('advertiser_receivable'), ('affiliate_payable'), ('network_margin')) a(account)`;

/**
 * Reconciles the ledger with the conversions table: every event balances,
 * and every conversion's net money per account and state is exactly what
 * its current status says (approved or pending: its amounts; rejected or
 * refunded: nothing). Totals are returned both ways for the caller to compare.
 */
export async function checkBooks(pool: Pool): Promise<BooksReport> {
  const unbalanced = await pool.query<{ event_id: string }>(
    'SELECT event_id FROM ledger_entries GROUP BY event_id HAVING sum(amount) <> 0 ORDER BY event_id',
  );
  const mismatches = await pool.query(`
    WITH expected AS (${EXPECTED}),
         actual AS (SELECT conversion_id, state, account, sum(amount) AS amount FROM ledger_entries GROUP BY 1, 2, 3)
    SELECT e.conversion_id AS "conversionId", e.state, e.account, e.amount::text AS expected, coalesce(a.amount, 0)::text AS actual
    FROM expected e LEFT JOIN actual a USING (conversion_id, state, account)
    WHERE e.amount <> coalesce(a.amount, 0)
    UNION ALL
    SELECT a.conversion_id, a.state, a.account, '0', a.amount::text
    FROM actual a LEFT JOIN expected e USING (conversion_id, state, account)
    WHERE e.conversion_id IS NULL AND a.amount <> 0`);
  const ledger = await pool.query<{ key: string; amount: string }>(
    `SELECT state || ':' || account AS key, sum(amount)::text AS amount FROM ledger_entries GROUP BY 1`,
  );
  const conversions = await pool.query<{ key: string; amount: string }>(`
    SELECT cur.status || ':' || a.account AS key,
           sum(CASE a.account WHEN 'advertiser_receivable' THEN cur.revenue
                              WHEN 'affiliate_payable' THEN -cur.payout
                              ELSE -(cur.revenue - cur.payout) END)::text AS amount
    FROM (${CURRENT}) cur
    CROSS JOIN (VALUES ('advertiser_receivable'), ('affiliate_payable'), ('network_margin')) a(account)
    WHERE cur.status IN ('approved', 'pending')
    GROUP BY 1`);
  const totals = (rows: Array<{ key: string; amount: string }>) =>
    Object.fromEntries(
      rows
        .filter((row) => Number(row.amount) !== 0)
        .sort((a, b) => a.key.localeCompare(b.key))
        .map((row) => [row.key, row.amount]),
    );
  const report = {
    unbalancedEvents: unbalanced.rows.map((row) => row.event_id),
    mismatches: mismatches.rows,
    totals: { ledger: totals(ledger.rows), conversions: totals(conversions.rows) },
  };
  const balanced =
    report.unbalancedEvents.length === 0 &&
    report.mismatches.length === 0 &&
    JSON.stringify(report.totals.ledger) === JSON.stringify(report.totals.conversions);
  return { balanced, ...report };
}
