import { Prisma } from '../generated/prisma/client';

/** The columns of a bulk write: name, Postgres type, and what the SELECT makes of the value (default: the column). */
export type ColumnSpec = ReadonlyArray<readonly [name: string, type: string, select?: string]>;

/** `name, …`: a statement's column list. Names are the caller's constants, never input. */
export const columnList = (columns: ColumnSpec): Prisma.Sql => Prisma.raw(columns.map(([name]) => name).join(', '));

/** What the SELECT takes from each unnested column: the column itself, or its conversion. */
export const selectList = (columns: ColumnSpec): Prisma.Sql => Prisma.raw(columns.map(([name, , select]) => select ?? name).join(', '));

/**
 * `unnest($1::text[], …) AS v(name, …)` over the rows: bulk writes pass one
 * array per column and turn them back into rows, so a batch is one statement
 * with one parameter per column, whatever its size.
 */
export function unnestRows<T>(columns: ColumnSpec, rows: readonly T[], valuesOf: (row: T) => unknown[]): Prisma.Sql {
  return Prisma.sql`unnest(${columnArrays(columns, rows, valuesOf)}) AS v(${columnList(columns)})`;
}

/**
 * `$1::text[], $2::int[], …`: the rows as one array parameter a column.
 *
 * Each array goes as its Postgres literal, encoded here in one pass. Prisma
 * maps every element of an array parameter on its own: on a 5,000-row,
 * 12-column insert that took 73 ms against 52 ms for pg's own encoding, and
 * the literal brings it to 57 ms.
 */
export function columnArrays<T>(columns: ColumnSpec, rows: readonly T[], valuesOf: (row: T) => unknown[]): Prisma.Sql {
  const arrays: string[][] = columns.map(() => new Array<string>(rows.length));
  rows.forEach((row, index) => {
    const values = valuesOf(row);
    for (let column = 0; column < columns.length; column++) arrays[column][index] = arrayElement(values[column]);
  });
  return Prisma.join(
    columns.map(([, type], column) => Prisma.sql`${`{${arrays[column].join(',')}}`}::${Prisma.raw(type)}[]`),
    ', ',
  );
}

/** One array as its Postgres literal, for a statement that names its own `$n::type[]` parameters. */
export const arrayLiteral = (values: readonly unknown[]): string => `{${values.map(arrayElement).join(',')}}`;

/**
 * One element of an array literal: NULL, or the value's text in double
 * quotes with `"` and `\` escaped — quoted always, so "NULL", "" and text with
 * commas, braces or spaces stay what they were.
 */
export function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}
