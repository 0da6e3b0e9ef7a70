import { ResolvedRange, planReads } from './read-plan';
import { StatsPlan, chooseLevel, statsJsonSql } from './stats-sql';
import { parseStatsRequest } from './stats-request';
import { Visibility, visibilityOf } from './visibility';

const admin: Visibility = visibilityOf({ role: 'admin', advertiserId: null, affiliateId: null }, { advertisersSeePayouts: false });
const week: ResolvedRange = {
  from: new Date('2025-03-01T00:00:00Z'),
  to: new Date('2025-03-08T00:00:00Z'),
  edges: [],
  firstMidnight: new Date('2025-03-01T00:00:00Z'),
  lastMidnight: new Date('2025-03-08T00:00:00Z'),
  firstDay: '2025-03-01',
  lastDay: '2025-03-08',
};

function sql(params: Record<string, string>, range: ResolvedRange = week): string {
  const request = parseStatsRequest({ from: '2025-03-01', to: '2025-03-07', ...params }, admin, () => true, { defaultLimit: 1000, maxLimit: 10_000 });
  const plan: StatsPlan = { level: chooseLevel(request), plan: planReads(range, request.grain, true), range, zone: 'UTC', dailyRollups: true };
  return statsJsonSql(request, plan).text;
}

// Streamed, the page sums src itself; otherwise it is cut from agg, every group summed.
const streamed = (text: string) => text.startsWith('WITH src AS NOT MATERIALIZED') && !text.includes('FROM agg a ORDER BY');

describe('statsJsonSql', () => {
  it('streams a report that reads one rollup at its own grain, sorted by its keys', () => {
    const byHour = sql({ group_by: 'hour,affiliate' });
    expect(streamed(byHour)).toBe(true);
    expect(byHour).toContain('SELECT t.hour AS b');
    // Grouped by every dimension of the affiliate rollup: a row is a group.
    expect(byHour).toContain('SELECT count(*) FROM src');
    // Totals read the daily offer rollup, the smallest that holds the week.
    expect(byHour).toContain('FROM rep_daily_offer t');

    const byDay = sql({ group_by: 'day,offer', sort: '-day' });
    expect(streamed(byDay)).toBe(true);
    expect(byDay).toContain('SELECT t.day AS b');
    // The offer rollup also keeps the advertiser: its rows are counted as groups.
    expect(byDay).toContain('SELECT count(*) FROM (SELECT 1 FROM src GROUP BY b, offer_id, currency) d');
  });

  it('sums every group first when the order needs the sums or several sources are read', () => {
    expect(streamed(sql({ group_by: 'hour,affiliate', sort: '-clicks' }))).toBe(false);
    expect(streamed(sql({ group_by: 'week,offer' }))).toBe(false);
    expect(streamed(sql({ group_by: 'day,status' }))).toBe(false);
    const partial = { ...week, from: new Date('2025-03-01T00:30:00Z') };
    expect(streamed(sql({ group_by: 'hour,affiliate' }, partial))).toBe(false);
  });
});
