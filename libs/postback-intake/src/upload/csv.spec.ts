import { BadCsv, parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads quoted cells with separators, doubled quotes and line breaks, numbering records by the line they start on', () => {
    const table = parseCsv('a,b\n"x, y","say ""hi"""\n"two\nlines",z\nlast,row', 10);
    expect(table).toEqual({
      header: ['a', 'b'],
      records: [
        { line: 2, cells: ['x, y', 'say "hi"'] },
        { line: 3, cells: ['two\nlines', 'z'] },
        { line: 5, cells: ['last', 'row'] },
      ],
    });
  });

  it("takes the header's separator (comma, semicolon, tab), a byte order mark, CRLF, and skips blank lines", () => {
    expect(parseCsv('\uFEFFa;b\r\n1,5;2\r\n\r\n3;4\r\n', 10).records).toEqual([
      { line: 2, cells: ['1,5', '2'] },
      { line: 4, cells: ['3', '4'] },
    ]);
    expect(parseCsv('a\tb\n1\t2\n', 10).records).toEqual([{ line: 2, cells: ['1', '2'] }]);
    expect(parseCsv('a,b\n1,\n', 10).records).toEqual([{ line: 2, cells: ['1', ''] }]);
  });

  it('stops one record past the limit, so that an oversized file is known without reading it all', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `${i}`).join('\n');
    expect(parseCsv(`n\n${rows}`, 5).records).toHaveLength(6);
  });

  it('refuses an unclosed quote, a quote inside an unquoted cell and text after a closing quote, by line', () => {
    const fault = (text: string) => {
      try {
        parseCsv(text, 10);
      } catch (error) {
        if (error instanceof BadCsv) return `${error.line}: ${error.message}`;
        throw error;
      }
      return 'read';
    };
    expect(fault('a\n"open\nstill')).toBe('2: a quoted cell is never closed');
    expect(fault('a\nb"c')).toMatch(/^2: a quote inside an unquoted cell/);
    expect(fault('a,b\n"x"y,1')).toMatch(/^2: a quoted cell is followed by more/);
    expect(fault('')).toMatch(/^1: the file is empty/);
  });
});
