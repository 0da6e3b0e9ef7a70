import { ResolvedRange, planReads } from './read-plan';

const at = (iso: string) => new Date(iso);
const hours = (from: string, to: string) => {
  const out: Date[] = [];
  for (let time = Date.parse(from); time < Date.parse(to); time += 3_600_000) out.push(new Date(time));
  return out;
};

function range(from: string, to: string, edges: Date[], midnights: [string, string], days: [string, string]): ResolvedRange {
  return { from: at(from), to: at(to), edges, firstMidnight: at(midnights[0]), lastMidnight: at(midnights[1]), firstDay: days[0], lastDay: days[1] };
}

describe('planReads', () => {
  const utcWeek = range('2025-03-01T00:00:00Z', '2025-03-08T00:00:00Z', [], ['2025-03-01T00:00:00Z', '2025-03-08T00:00:00Z'], ['2025-03-01', '2025-03-08']);

  it('reads whole local days from the daily rollups when the zone has them', () => {
    expect(planReads(utcWeek, 'day', true)).toEqual({
      daily: { fromDay: '2025-03-01', toDay: '2025-03-08' },
      hourly: { spans: [], excludedHours: [] },
      raw: [],
    });
  });

  it('reads whole hours from the hourly rollups otherwise, and always when grouping by hour', () => {
    const hourly = { daily: null, hourly: { spans: [{ from: utcWeek.from, to: utcWeek.to }], excludedHours: [] }, raw: [] };
    expect(planReads(utcWeek, 'day', false)).toEqual(hourly);
    expect(planReads({ ...utcWeek, edges: hours('2025-03-01T01:00:00Z', '2025-03-08T00:00:00Z') }, 'hour', true)).toEqual(hourly);
  });

  it('reads the partial days at either end from hourly rollups and the partial hours from raw rows', () => {
    const plan = planReads(
      range('2025-03-01T10:30:00Z', '2025-03-05T06:15:00Z', [], ['2025-03-02T00:00:00Z', '2025-03-05T00:00:00Z'], ['2025-03-02', '2025-03-05']),
      null,
      true,
    );
    expect(plan).toEqual({
      daily: { fromDay: '2025-03-02', toDay: '2025-03-05' },
      hourly: {
        spans: [
          { from: at('2025-03-01T11:00:00Z'), to: at('2025-03-02T00:00:00Z') },
          { from: at('2025-03-05T00:00:00Z'), to: at('2025-03-05T06:00:00Z') },
        ],
        excludedHours: [],
      },
      raw: [
        { from: at('2025-03-01T10:30:00Z'), to: at('2025-03-01T11:00:00Z') },
        { from: at('2025-03-05T06:00:00Z'), to: at('2025-03-05T06:15:00Z') },
      ],
    });
  });

  it('reads hours that a half-hour zone cuts in two from raw rows, so every bucket stays exact', () => {
    // Kolkata (UTC+05:30): days start at 18:30 UTC.
    const kolkata = range(
      '2025-03-02T18:30:00Z',
      '2025-03-05T18:30:00Z',
      [at('2025-03-03T18:30:00Z'), at('2025-03-04T18:30:00Z')],
      ['2025-03-02T18:30:00Z', '2025-03-05T18:30:00Z'],
      ['2025-03-03', '2025-03-06'],
    );
    const plan = planReads(kolkata, 'day', false);
    expect(plan.hourly).toEqual({
      spans: [{ from: at('2025-03-02T19:00:00Z'), to: at('2025-03-05T18:00:00Z') }],
      excludedHours: [at('2025-03-03T18:00:00Z'), at('2025-03-04T18:00:00Z')],
    });
    expect(plan.raw).toEqual([
      { from: at('2025-03-02T18:30:00Z'), to: at('2025-03-02T19:00:00Z') },
      { from: at('2025-03-03T18:00:00Z'), to: at('2025-03-03T19:00:00Z') },
      { from: at('2025-03-04T18:00:00Z'), to: at('2025-03-04T19:00:00Z') },
      { from: at('2025-03-05T18:00:00Z'), to: at('2025-03-05T18:30:00Z') },
    ]);
    expect(planReads(kolkata, 'day', true).daily).toEqual({ fromDay: '2025-03-03', toDay: '2025-03-06' });
  });

  it('reads a range shorter than an hour from raw rows only', () => {
    const plan = planReads(range('2025-03-01T10:10:00Z', '2025-03-01T10:50:00Z', [], ['2025-03-02T00:00:00Z', '2025-03-01T00:00:00Z'], ['', '']), null, true);
    expect(plan).toEqual({ daily: null, hourly: { spans: [], excludedHours: [] }, raw: [{ from: at('2025-03-01T10:10:00Z'), to: at('2025-03-01T10:50:00Z') }] });
  });
});
