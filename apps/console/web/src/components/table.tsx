import type { ReactNode } from 'react';
import { Empty } from './feedback';

export interface Column<Row> {
  key: string;
  label: string;
  render?: (row: Row) => ReactNode;
  numeric?: boolean;
  /** How the column is sorted now, when it can be sorted. */
  sort?: 'ascending' | 'descending' | 'none';
}

/** A table with a caption, sortable headers (as buttons, for the keyboard) and an empty state. */
export function Table<Row>({
  caption,
  columns,
  rows,
  rowKey,
  empty,
  onSort,
}: {
  caption: string;
  columns: Array<Column<Row>>;
  rows: Row[];
  rowKey: (row: Row, index: number) => string;
  empty: string;
  onSort?: (column: string) => void;
}) {
  if (rows.length === 0) return <Empty>{empty}</Empty>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" className={column.numeric ? 'numeric' : undefined} aria-sort={column.sort}>
                {onSort && column.sort ? (
                  <button type="button" className="sort" onClick={() => onSort(column.key)}>
                    {column.label}
                    <span aria-hidden="true">{column.sort === 'descending' ? ' ▼' : column.sort === 'ascending' ? ' ▲' : ' ↕'}</span>
                  </button>
                ) : (
                  column.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={rowKey(row, index)}>
              {columns.map((column) => (
                <td key={column.key} className={column.numeric ? 'numeric' : undefined} data-label={column.label}>
                  {column.render ? column.render(row) : displayValue((row as Record<string, unknown>)[column.key])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function displayValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A date-time from the API in the viewer's time zone. */
export function when(value: unknown): string {
  if (typeof value !== 'string' || !value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}
