import { arrayElement, unnestRows } from './bulk-rows';

describe('unnestRows', () => {
  it('sends one array literal a column, cast to its type, and names the columns', () => {
    const sql = unnestRows(
      [
        ['id', 'text'],
        ['n', 'int'],
      ],
      [
        { id: 'a', n: 1 },
        { id: 'b', n: null },
      ],
      (row) => [row.id, row.n],
    );
    expect(sql.sql).toBe('unnest(?::text[], ?::int[]) AS v(id, n)');
    expect(sql.values).toEqual(['{"a","b"}', '{"1",NULL}']);
  });

  it.each([
    ['NULL', '"NULL"'],
    ['', '""'],
    ['a,b {c} d', '"a,b {c} d"'],
    ['say "hi" \\ bye', '"say \\"hi\\" \\\\ bye"'],
    ['é 🙂', '"é 🙂"'],
    [true, '"true"'],
    [12.5, '"12.5"'],
    [new Date(0), '"1970-01-01T00:00:00.000Z"'],
    [null, 'NULL'],
    [undefined, 'NULL'],
  ])('keeps %p as it was (%s)', (value, element) => {
    expect(arrayElement(value)).toBe(element);
  });
});
