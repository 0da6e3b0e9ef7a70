import { useId, useState, type ReactNode } from 'react';
import { Empty } from './feedback';

export interface Column<Row> {
  key: string;
  label: string;
  render?: (row: Row) => ReactNode;
  numeric?: boolean;
  /** How the column is sorted now, when it can be sorted. */
  sort?: 'ascending' | 'descending' | 'none';
}

/**
 * What a row shows under itself, across the whole table, when its toggle (in a
 * last column named `label`) is pressed: too much for one cell, like forms.
 */
export interface RowDetails<Row> {
  label: string;
  /** The toggle's text; name the row in it (visually hidden if need be), as every row has one. */
  toggle: (row: Row) => ReactNode;
  render: (row: Row) => ReactNode;
}

/**
 * A table with a caption, sortable headers (as buttons, for the keyboard) and an empty state.
 * With `details`, each row and its details row form a group of their own (a tbody); closed
 * details stay rendered but hidden, so what was typed in them survives closing, as in a <details>.
 */
export function Table<Row>({
  caption,
  columns,
  rows,
  rowKey,
  empty,
  onSort,
  details,
}: {
  caption: string;
  columns: Array<Column<Row>>;
  rows: Row[];
  rowKey: (row: Row, index: number) => string;
  empty: string;
  onSort?: (column: string) => void;
  details?: RowDetails<Row>;
}) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const id = useId();
  if (rows.length === 0) return <Empty>{empty}</Empty>;
  const cells = (row: Row) =>
    columns.map((column) => (
      <td key={column.key} className={column.numeric ? 'numeric' : undefined} data-label={column.label}>
        {column.render ? column.render(row) : displayValue((row as Record<string, unknown>)[column.key])}
      </td>
    ));
  const toggle = (key: string) => setOpen((keys) => (keys.has(key) ? new Set([...keys].filter((each) => each !== key)) : new Set([...keys, key])));
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
            {details && <th scope="col">{details.label}</th>}
          </tr>
        </thead>
        {details ? (
          rows.map((row, index) => {
            const key = rowKey(row, index);
            const expanded = open.has(key);
            const panel = `${id}-details-${index}`;
            return (
              <tbody key={key} className="with-details">
                <tr className={expanded ? 'expanded' : undefined}>
                  {cells(row)}
                  <td className="toggle" data-label={details.label}>
                    <button type="button" className="disclosure" aria-expanded={expanded} aria-controls={panel} id={`${panel}-toggle`} onClick={() => toggle(key)}>
                      <span aria-hidden="true" className="marker">
                        {expanded ? '▼' : '▶'}
                      </span>{' '}
                      {details.toggle(row)}
                    </button>
                  </td>
                </tr>
                <tr className="details" id={panel} hidden={!expanded}>
                  <td colSpan={columns.length + 1}>
                    <div role="region" aria-labelledby={`${panel}-toggle`}>
                      {details.render(row)}
                    </div>
                  </td>
                </tr>
              </tbody>
            );
          })
        ) : (
          <tbody>
            {rows.map((row, index) => (
              <tr key={rowKey(row, index)}>{cells(row)}</tr>
            ))}
          </tbody>
        )}
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
