import { OutputColumn, jsonRows } from './output-columns';

const columns: OutputColumn[] = [
  { name: 'day', sql: '', kind: 'text' },
  { name: 'sub1', sql: '', kind: 'text' },
  { name: 'clicks', sql: '', kind: 'number' },
  { name: 'cr', sql: '', kind: 'number' },
  { name: 'revenue', sql: '', kind: 'money' },
];

describe('jsonRows', () => {
  it('writes numbers as printed, money and text as strings, NULL as null', () => {
    const text = jsonRows(columns, [
      ['2025-03-01', 'a "quoted"\n\\ sub\u0001', '9007199254740993', '12.3400', '12345678901234.5678'],
      ['2025-03-02', null, '0', null, '-0.0001'],
    ]).toString('utf8');
    // Exact: a count past 2^53 and a money amount keep every digit.
    expect(text).toContain('"clicks":9007199254740993');
    expect(text).toContain('"revenue":"12345678901234.5678"');
    expect(JSON.parse(text)).toEqual([
      { day: '2025-03-01', sub1: 'a "quoted"\n\\ sub\u0001', clicks: 2 ** 53, cr: 12.34, revenue: '12345678901234.5678' },
      { day: '2025-03-02', sub1: null, clicks: 0, cr: null, revenue: '-0.0001' },
    ]);
  });

  it('reads each row from the given column on, and writes no rows as []', () => {
    expect(JSON.parse(jsonRows(columns.slice(0, 1), [['skipped', '2025-03-01']], 1).toString('utf8'))).toEqual([{ day: '2025-03-01' }]);
    expect(jsonRows(columns, []).toString('utf8')).toBe('[]');
  });

  it('writes text outside ASCII as UTF-8, across the buffer growing', () => {
    const name = 'Café – 東京 😀'.repeat(2000);
    const bytes = jsonRows(columns.slice(1, 2), [[name], [name]]);
    expect(bytes.length).toBeGreaterThan(16 * 1024);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual([{ sub1: name }, { sub1: name }]);
  });
});
