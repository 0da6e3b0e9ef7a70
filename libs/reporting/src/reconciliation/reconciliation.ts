import { Inject, Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { Pool, PoolClient } from 'pg';
import { Metric, metric } from '../query/metrics';
import { REPORT_OPTIONS, ReportOptions } from '../query/report-options';
import { inReport } from '../query/report-transaction';
import { StatsReports } from '../query/stats-reports';
import { StatsRequest } from '../query/stats-request';
import { TimeInput } from '../query/time-input';
import { Visibility, visibilityOf } from '../query/visibility';

/** What both sides say about the conversions of a period, per currency. */
export interface Books {
  approved_revenue: string;
  pending_revenue: string;
  approved_payout: string;
  pending_payout: string;
  approved_conversions: number;
  pending_conversions: number;
  rejected_conversions: number;
  refunded_conversions: number;
}

export interface CurrencyReconciliation {
  currency: string;
  ledger: Books;
  rollups: Books;
  matches: boolean;
  /** Every ledger event's entries sum to zero, so the period's entries do too. */
  ledger_balanced: boolean;
}

export interface ConversionMismatch {
  conversion_id: string;
  ledger: { status: string | null; approved_revenue: string; pending_revenue: string; approved_payout: string; pending_payout: string };
  read_model: { status: string | null; approved_revenue: string; pending_revenue: string; approved_payout: string; pending_payout: string };
}

export interface Reconciliation {
  from: string;
  to: string;
  balanced: boolean;
  currencies: CurrencyReconciliation[];
  mismatched_conversions: ConversionMismatch[];
  /** More mismatches exist than are listed. */
  mismatches_truncated: boolean;
}

const MISMATCH_LIMIT = 100;
const ADMIN: Visibility = visibilityOf({ role: 'admin', advertiserId: null, affiliateId: null }, { advertisersSeePayouts: true });
const MONEY_FIELDS = ['approved_revenue', 'pending_revenue', 'approved_payout', 'pending_payout'] as const;
const COUNT_FIELDS = ['approved_conversions', 'pending_conversions', 'rejected_conversions', 'refunded_conversions'] as const;
const ROLLUP_METRICS = [
  'revenue',
  'pending_revenue',
  'payout',
  'pending_payout',
  'conversions',
  'pending_conversions',
  'rejected_conversions',
  'refunded_conversions',
].map((name) => metric(name) as Metric);

/** A totals row of a stats report, in the books' terms. */
function booksFromTotals(row: Record<string, string | number>): Books {
  return {
    approved_revenue: money(row.revenue),
    pending_revenue: money(row.pending_revenue),
    approved_payout: money(row.payout),
    pending_payout: money(row.pending_payout),
    approved_conversions: Number(row.conversions),
    pending_conversions: Number(row.pending_conversions),
    rejected_conversions: Number(row.rejected_conversions),
    refunded_conversions: Number(row.refunded_conversions),
  };
}

// The ledger's money by state, and each conversion's current status (its last change, or its decision).
const LEDGER = `
WITH period AS (
  SELECT c.conversion_id, c.currency, coalesce(last.to_status, c.status) AS status
  FROM conversions c
  LEFT JOIN LATERAL (
    SELECT s.to_status FROM conversion_status_changes s WHERE s.conversion_id = c.conversion_id ORDER BY s.changed_at DESC LIMIT 1
  ) last ON true
  WHERE c.converted_at >= $1 AND c.converted_at < $2
), money AS (
  SELECT e.currency,
    coalesce(sum(e.amount) FILTER (WHERE e.account = 'advertiser_receivable' AND e.state = 'approved'), 0) AS approved_revenue,
    coalesce(sum(e.amount) FILTER (WHERE e.account = 'advertiser_receivable' AND e.state = 'pending'), 0) AS pending_revenue,
    coalesce(-sum(e.amount) FILTER (WHERE e.account = 'affiliate_payable' AND e.state = 'approved'), 0) AS approved_payout,
    coalesce(-sum(e.amount) FILTER (WHERE e.account = 'affiliate_payable' AND e.state = 'pending'), 0) AS pending_payout,
    sum(e.amount) AS balance
  FROM ledger_entries e JOIN period p ON p.conversion_id = e.conversion_id
  GROUP BY e.currency
), counts AS (
  SELECT currency,
    count(*) FILTER (WHERE status = 'approved')::int AS approved_conversions,
    count(*) FILTER (WHERE status = 'pending')::int AS pending_conversions,
    count(*) FILTER (WHERE status = 'rejected')::int AS rejected_conversions,
    count(*) FILTER (WHERE status = 'refunded')::int AS refunded_conversions
  FROM period GROUP BY currency
)
SELECT coalesce(m.currency, c.currency)::text AS currency,
  coalesce(m.approved_revenue, 0)::text AS approved_revenue, coalesce(m.pending_revenue, 0)::text AS pending_revenue,
  coalesce(m.approved_payout, 0)::text AS approved_payout, coalesce(m.pending_payout, 0)::text AS pending_payout,
  coalesce(m.balance, 0)::text AS balance,
  coalesce(c.approved_conversions, 0) AS approved_conversions, coalesce(c.pending_conversions, 0) AS pending_conversions,
  coalesce(c.rejected_conversions, 0) AS rejected_conversions, coalesce(c.refunded_conversions, 0) AS refunded_conversions
FROM money m FULL JOIN counts c ON c.currency = m.currency`;

// Conversion by conversion: where the read model and the books disagree.
const MISMATCHES = `
WITH ledger AS (
  SELECT c.conversion_id, coalesce(last.to_status, c.status) AS status,
    coalesce(sum(e.amount) FILTER (WHERE e.account = 'advertiser_receivable' AND e.state = 'approved'), 0) AS approved_revenue,
    coalesce(sum(e.amount) FILTER (WHERE e.account = 'advertiser_receivable' AND e.state = 'pending'), 0) AS pending_revenue,
    coalesce(-sum(e.amount) FILTER (WHERE e.account = 'affiliate_payable' AND e.state = 'approved'), 0) AS approved_payout,
    coalesce(-sum(e.amount) FILTER (WHERE e.account = 'affiliate_payable' AND e.state = 'pending'), 0) AS pending_payout
  FROM conversions c
  LEFT JOIN ledger_entries e ON e.conversion_id = c.conversion_id
  LEFT JOIN LATERAL (
    SELECT s.to_status FROM conversion_status_changes s WHERE s.conversion_id = c.conversion_id ORDER BY s.changed_at DESC LIMIT 1
  ) last ON true
  WHERE c.converted_at >= $1 AND c.converted_at < $2
  GROUP BY c.conversion_id, coalesce(last.to_status, c.status)
), model AS (
  SELECT conversion_id, status,
    CASE WHEN status = 'approved' THEN revenue ELSE 0 END AS approved_revenue,
    CASE WHEN status = 'pending' THEN revenue ELSE 0 END AS pending_revenue,
    CASE WHEN status = 'approved' THEN payout ELSE 0 END AS approved_payout,
    CASE WHEN status = 'pending' THEN payout ELSE 0 END AS pending_payout
  FROM rep_conversions WHERE converted_at >= $1 AND converted_at < $2
)
SELECT conversion_id, l.status AS ledger_status, m.status AS model_status,
  coalesce(l.approved_revenue, 0)::text AS l_approved_revenue, coalesce(m.approved_revenue, 0)::text AS m_approved_revenue,
  coalesce(l.pending_revenue, 0)::text AS l_pending_revenue, coalesce(m.pending_revenue, 0)::text AS m_pending_revenue,
  coalesce(l.approved_payout, 0)::text AS l_approved_payout, coalesce(m.approved_payout, 0)::text AS m_approved_payout,
  coalesce(l.pending_payout, 0)::text AS l_pending_payout, coalesce(m.pending_payout, 0)::text AS m_pending_payout
FROM ledger l FULL JOIN model m USING (conversion_id)
WHERE l.status IS DISTINCT FROM m.status
   OR coalesce(l.approved_revenue, 0) <> coalesce(m.approved_revenue, 0)
   OR coalesce(l.pending_revenue, 0) <> coalesce(m.pending_revenue, 0)
   OR coalesce(l.approved_payout, 0) <> coalesce(m.approved_payout, 0)
   OR coalesce(l.pending_payout, 0) <> coalesce(m.pending_payout, 0)
ORDER BY conversion_id
LIMIT ${MISMATCH_LIMIT + 1}`;

const money = (value: string | number | undefined) => new Decimal(value ?? 0).toFixed(4);

function emptyBooks(): Books {
  return {
    approved_revenue: money(0),
    pending_revenue: money(0),
    approved_payout: money(0),
    pending_payout: money(0),
    approved_conversions: 0,
    pending_conversions: 0,
    rejected_conversions: 0,
    refunded_conversions: 0,
  };
}

function sameBooks(a: Books, b: Books): boolean {
  return MONEY_FIELDS.every((field) => new Decimal(a[field]).equals(b[field])) && COUNT_FIELDS.every((field) => a[field] === b[field]);
}

/**
 * Compares the read model with attribution's books for the conversions of
 * a period (by conversion time): the rollups, read exactly as reports read
 * them, against the ledger's entries by state and the conversions' current
 * statuses. Both sides are read in one snapshot.
 */
@Injectable()
export class LedgerReconciliation {
  constructor(
    private readonly pool: Pool,
    private readonly stats: StatsReports,
    @Inject(REPORT_OPTIONS) private readonly options: ReportOptions,
  ) {}

  async reconcile(from: TimeInput, to: TimeInput, zone: string): Promise<Reconciliation> {
    const request: StatsRequest = {
      from,
      to,
      zone,
      grain: null,
      dimensions: [],
      metrics: ROLLUP_METRICS,
      filters: new Map(),
      sort: [],
      page: { limit: null, offset: 0, fingerprint: '', after: null },
      conversionsOnly: false,
      rawOnly: false,
      visibility: ADMIN,
    };
    return inReport(this.pool, zone, this.options, (client) => this.compare(client, request), true);
  }

  private async compare(client: PoolClient, request: StatsRequest): Promise<Reconciliation> {
    const { plan, totals } = await this.stats.run(client, request);
    const range = [plan.range.from, plan.range.to];
    const rollups = new Map<string, Books>();
    for (const row of JSON.parse(totals) as Record<string, string | number>[]) rollups.set(String(row.currency), booksFromTotals(row));
    const ledgerRows = (await client.query(LEDGER, range)).rows;
    const ledger = new Map<string, { books: Books; balance: string }>();
    for (const row of ledgerRows) {
      const books = emptyBooks();
      for (const field of MONEY_FIELDS) books[field] = money(row[field]);
      for (const field of COUNT_FIELDS) books[field] = row[field];
      ledger.set(row.currency, { books, balance: row.balance });
    }
    const currencies = [...new Set([...rollups.keys(), ...ledger.keys()])]
      .filter((currency) => !isEmpty(rollups.get(currency)) || !isEmpty(ledger.get(currency)?.books))
      .sort()
      .map((currency) => {
        const ledgerBooks = ledger.get(currency)?.books ?? emptyBooks();
        const rollupBooks = rollups.get(currency) ?? emptyBooks();
        return {
          currency,
          ledger: ledgerBooks,
          rollups: rollupBooks,
          matches: sameBooks(ledgerBooks, rollupBooks),
          ledger_balanced: new Decimal(ledger.get(currency)?.balance ?? 0).isZero(),
        };
      });
    const mismatchRows = (await client.query(MISMATCHES, range)).rows;
    const mismatches = mismatchRows.slice(0, MISMATCH_LIMIT).map((row) => ({
      conversion_id: row.conversion_id,
      ledger: side(row, 'l', row.ledger_status),
      read_model: side(row, 'm', row.model_status),
    }));
    return {
      from: plan.range.from.toISOString(),
      to: plan.range.to.toISOString(),
      balanced: currencies.every((entry) => entry.matches && entry.ledger_balanced) && mismatches.length === 0,
      currencies,
      mismatched_conversions: mismatches,
      mismatches_truncated: mismatchRows.length > MISMATCH_LIMIT,
    };
  }
}

function isEmpty(books: Books | undefined): boolean {
  return !books || sameBooks(books, emptyBooks());
}

function side(row: Record<string, string | null>, prefix: 'l' | 'm', status: string | null): ConversionMismatch['ledger'] {
  return {
    status,
    approved_revenue: money(row[`${prefix}_approved_revenue`] ?? 0),
    pending_revenue: money(row[`${prefix}_pending_revenue`] ?? 0),
    approved_payout: money(row[`${prefix}_approved_payout`] ?? 0),
    pending_payout: money(row[`${prefix}_pending_payout`] ?? 0),
  };
}

