import { csvField, csvLine } from './csv';

describe('CSV', () => {
  it.each(['=HYPERLINK("http://evil.example","x")', '+1', '-1+1', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'neutralises free text %j that a spreadsheet would run',
    (value) => {
      expect(csvField(value, 'text').replace(/^"|"$/g, '')).toMatch(/^'/);
    },
  );

  it('leaves numbers and money alone, negative ones included', () => {
    expect(csvField('-12.5000', 'money')).toBe('-12.5000');
    expect(csvField('-3', 'number')).toBe('-3');
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and writes NULL as an empty field', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', null, 'plain'], ['text', 'text', 'text', 'text', 'text'])).toBe(
      '"a,b","say ""hi""","two\nlines",,plain\r\n',
    );
    expect(csvField('=1,2', 'text')).toBe(`"'=1,2"`);
  });
});
