import { invalid } from '../access/errors';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export interface PageQuery {
  limit?: number;
  /** Cursor from the previous page's nextCursor. */
  after?: string;
}

export interface Page<T> {
  data: T[];
  /** Pass as `after` to read the next page; null on the last page. */
  nextCursor: string | null;
}

export function pageSize(query: PageQuery): number {
  return Math.min(query.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
}

/** Rows were read with take = size + 1: the extra one only says that there is more. */
export function toPage<R, V>(rows: R[], size: number, cursorOf: (row: R) => string, view: (row: R) => V): Page<V> {
  const more = rows.length > size;
  const shown = more ? rows.slice(0, size) : rows;
  return { data: shown.map(view), nextCursor: more ? cursorOf(shown[shown.length - 1]) : null };
}

/** The numeric id cursor of catalogue lists (ordered by id). */
export function idCursor(query: PageQuery): number | undefined {
  if (query.after === undefined) return undefined;
  if (!/^\d{1,10}$/.test(query.after)) throw invalid('after', 'must be a cursor from a previous page');
  return Number(query.after);
}
