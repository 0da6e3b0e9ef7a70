/**
 * Bulk writes pass one array per column and turn them back into rows with
 * unnest(): one statement and a fixed number of parameters per batch,
 * whatever its size.
 */
export type ColumnSpec = ReadonlyArray<readonly [name: string, type: string, select?: string]>;

export const columnNames = (columns: ColumnSpec) => columns.map(([name]) => name).join(', ');

/** What the SELECT takes from each unnested column: the column itself, or its conversion. */
export const selectList = (columns: ColumnSpec) => columns.map(([name, , select]) => select ?? name).join(', ');

/** `unnest($1::text[], …) AS v(name, …)` for the columns. */
export function unnestOf(columns: ColumnSpec): string {
  const parameters = columns.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ');
  return `unnest(${parameters}) AS v(${columnNames(columns)})`;
}

/** Rows turned into one array per column, the parameters of unnestOf's statement. */
export function columnsOf<T>(rows: readonly T[], width: number, valuesOf: (row: T) => unknown[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: width }, () => new Array(rows.length));
  rows.forEach((row, index) => {
    const values = valuesOf(row);
    for (let column = 0; column < width; column++) columns[column][index] = values[column];
  });
  return columns;
}
