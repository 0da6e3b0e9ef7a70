import { TimeGrain } from './dimensions';

const HOUR = 3_600_000;

export interface Span {
  from: Date;
  to: Date;
}

/** The report's range and bucket edges, as Postgres resolved them in the report's zone. */
export interface ResolvedRange {
  from: Date;
  to: Date;
  /** Bucket boundaries strictly inside (from, to). */
  edges: Date[];
  /** The first and last local midnights inside [from, to], and their local dates. */
  firstMidnight: Date;
  lastMidnight: Date;
  firstDay: string;
  lastDay: string;
}

/**
 * Where each part of [from, to) is read from: local days from the daily
 * rollups, whole UTC hours that lie inside one bucket from the hourly
 * rollups, and whatever is left (sub-hour ends of the range, hours that a
 * bucket edge cuts, as in zones 30 or 45 minutes off UTC) from raw rows.
 */
export interface ReadPlan {
  daily: { fromDay: string; toDay: string } | null;
  hourly: { spans: Span[]; excludedHours: Date[] };
  raw: Span[];
}

const floorHour = (time: Date) => new Date(Math.floor(time.getTime() / HOUR) * HOUR);
const ceilHour = (time: Date) => new Date(Math.ceil(time.getTime() / HOUR) * HOUR);
const isHour = (time: Date) => time.getTime() % HOUR === 0;

export function planReads(range: ResolvedRange, grain: TimeGrain | null, dailyRollups: boolean): ReadPlan {
  const useDaily = dailyRollups && grain !== 'hour' && range.firstMidnight < range.lastMidnight;
  const rest: Span[] = useDaily
    ? [
        { from: range.from, to: range.firstMidnight },
        { from: range.lastMidnight, to: range.to },
      ]
    : [{ from: range.from, to: range.to }];

  const spans: Span[] = [];
  const excluded: Date[] = [];
  const raw: Span[] = [];
  for (const part of rest.filter((span) => span.from < span.to)) {
    const start = ceilHour(part.from);
    const end = floorHour(part.to);
    if (start >= end) {
      raw.push(part);
      continue;
    }
    spans.push({ from: start, to: end });
    if (part.from < start) raw.push({ from: part.from, to: start });
    if (end < part.to) raw.push({ from: end, to: part.to });
    for (const edge of range.edges) {
      if (edge > start && edge < end && !isHour(edge)) {
        const hour = floorHour(edge);
        excluded.push(hour);
        raw.push({ from: hour, to: new Date(hour.getTime() + HOUR) });
      }
    }
  }
  return {
    daily: useDaily ? { fromDay: range.firstDay, toDay: range.lastDay } : null,
    hourly: { spans, excludedHours: uniqueTimes(excluded) },
    raw: merged(raw),
  };
}

function uniqueTimes(times: Date[]): Date[] {
  return [...new Set(times.map((time) => time.getTime()))].sort((a, b) => a - b).map((time) => new Date(time));
}

function merged(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.from.getTime() - b.from.getTime());
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last && span.from <= last.to) {
      if (span.to > last.to) last.to = span.to;
    } else {
      out.push({ from: span.from, to: span.to });
    }
  }
  return out;
}
