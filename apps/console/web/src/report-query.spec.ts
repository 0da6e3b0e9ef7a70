import {
  bucketLabel,
  bucketLabels,
  bucketTotals,
  change,
  dimensionLabel,
  formatMetric,
  moneyRule,
  nextSort,
  period,
  previousPeriod,
  readReportState,
  statsQuery,
  today,
  trimDecimal,
  writeReportState,
} from './report-query';

const defaults = { timezone: 'Europe/Berlin', today: '2026-12-06' };

describe('report state in the URL', () => {
  it('defaults to the last 7 days by day in the viewer’s time zone', () => {
    const state = readReportState('', defaults);
    expect(state).toMatchObject({ from: '2026-11-30', to: '2026-12-06', timezone: 'Europe/Berlin', groupBy: ['day'], metrics: [], offset: 0, limit: 50 });
  });

  it('reads back exactly what it wrote, filters and paging included', () => {
    const state = readReportState(
      '?from=2026-01-01&to=2026-01-31&timezone=America/New_York&group_by=offer,hour&metrics=clicks,cr&offer_id=3&offer_id=4&sub1=a%2Cb&status=refunded&sort=-cr&limit=100&offset=200',
      defaults,
    );
    expect(state.filters).toEqual({ offer_id: ['3', '4'], sub1: ['a', 'b'], status: ['refunded'] });
    expect(readReportState(writeReportState(state), defaults)).toEqual(state);
  });

  it('keeps an explicitly empty group_by (totals only) apart from an absent one', () => {
    expect(readReportState('?group_by=', defaults).groupBy).toEqual([]);
  });

  it('ignores paging values that are not whole numbers and caps the page size', () => {
    expect(readReportState('?limit=-5&offset=x', defaults)).toMatchObject({ limit: 50, offset: 0 });
    expect(readReportState('?limit=999999', defaults).limit).toBe(10_000);
  });

  it('asks the stats API for what the state says, filters as lists', () => {
    const state = readReportState('?group_by=day,offer&offer_id=7&sort=-revenue', defaults);
    expect(statsQuery(state)).toEqual({
      from: '2026-11-30',
      to: '2026-12-06',
      timezone: 'Europe/Berlin',
      group_by: 'day,offer',
      sort: '-revenue',
      offer_id: ['7'],
      limit: '50',
      offset: '0',
    });
  });
});

describe('periods', () => {
  it('names periods as inclusive dates', () => {
    expect(period('today', '2026-03-01')).toEqual({ from: '2026-03-01', to: '2026-03-01' });
    expect(period('yesterday', '2026-03-01')).toEqual({ from: '2026-02-28', to: '2026-02-28' });
    expect(period('last30', '2026-03-01')).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(period('month', '2026-03-17')).toEqual({ from: '2026-03-01', to: '2026-03-17' });
  });

  it('compares with the period of the same length just before, across month and leap-year ends', () => {
    expect(previousPeriod('2026-12-01', '2026-12-07')).toEqual({ from: '2026-11-24', to: '2026-11-30' });
    expect(previousPeriod('2028-03-01', '2028-03-01')).toEqual({ from: '2028-02-29', to: '2028-02-29' });
  });

  it('knows today in the viewer’s time zone, not the machine’s', () => {
    const instant = new Date('2026-12-06T23:30:00Z');
    expect(today('UTC', instant)).toBe('2026-12-06');
    expect(today('Asia/Tokyo', instant)).toBe('2026-12-07');
    expect(today('America/Los_Angeles', instant)).toBe('2026-12-06');
  });
});

describe('showing numbers', () => {
  it('shows money exactly as the API sent it, cut to cents only where the rest is zeros', () => {
    expect(trimDecimal('12.5000', 2)).toBe('12.50');
    expect(trimDecimal('0.0125', 2)).toBe('0.0125');
    expect(trimDecimal('-3.1000', 2)).toBe('-3.10');
    expect(trimDecimal('7', 2)).toBe('7.00');
    expect(formatMetric('revenue', '1234.5600', 'USD')).toBe('1234.56 USD');
    expect(formatMetric('cr', '3.3333')).toBe('3.3333 %');
    expect(formatMetric('clicks', 1234567, undefined, 'en-US')).toBe('1,234,567');
    expect(formatMetric('payout', null)).toBe('—');
  });

  it('puts money rules in words, exact', () => {
    expect(moneyRule({ type: 'percent', amount: '0.0000', percent: '10.0000' })).toBe('10 %');
    expect(moneyRule({ type: 'fixed', amount: '2.5000', percent: '0' }, 'USD')).toBe('2.50 USD');
    expect(moneyRule({ type: 'fixed_plus_percent', amount: '1.0000', percent: '2.5000' }, 'EUR')).toBe('1.00 EUR + 2.5 %');
    expect(moneyRule(null)).toBe('—');
  });

  it('labels ids with their names', () => {
    expect(dimensionLabel({ offer_id: 12, offer_name: 'Running shoes' }, 'offer')).toBe('12 · Running shoes');
    expect(dimensionLabel({ sub1: 'spring' }, 'sub1')).toBe('spring');
    expect(dimensionLabel({ sub1: null }, 'sub1')).toBe('—');
  });

  it('gives a change only where there is something to compare with', () => {
    expect(change(150, 100)).toBe(50);
    expect(change(50, 100)).toBe(-50);
    expect(change(5, 0)).toBeNull();
  });
});

describe('sorting by a column', () => {
  it('cycles descending, ascending, none', () => {
    expect(nextSort('', 'revenue')).toBe('-revenue');
    expect(nextSort('-revenue', 'revenue')).toBe('revenue');
    expect(nextSort('revenue', 'revenue')).toBe('');
    expect(nextSort('-clicks', 'revenue')).toBe('-revenue');
  });
});

describe('time series', () => {
  it('adds up the currencies of one bucket', () => {
    const rows = [
      { hour: '2026-12-02T10:00:00+01:00', currency: 'USD', clicks: 3 },
      { hour: '2026-12-02T09:00:00+01:00', currency: 'USD', clicks: 1 },
      { hour: '2026-12-02T10:00:00+01:00', currency: 'EUR', clicks: 2 },
    ];
    expect(Object.fromEntries(bucketTotals(rows, 'hour', 'clicks'))).toEqual({ '2026-12-02T09': 1, '2026-12-02T10': 5 });
  });

  it('names every hour or day of a period, and maps the API’s buckets onto those names', () => {
    expect(bucketLabels('2026-12-01', '2026-12-03', 'day')).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
    const hours = bucketLabels('2026-12-01', '2026-12-01', 'hour');
    expect(hours).toHaveLength(24);
    expect(hours[14]).toBe('2026-12-01T14');
    expect(bucketLabel('2026-12-01T14:00:00+01:00', 'hour')).toBe('2026-12-01T14');
    expect(bucketLabel('2026-12-01', 'day')).toBe('2026-12-01');
  });
});
