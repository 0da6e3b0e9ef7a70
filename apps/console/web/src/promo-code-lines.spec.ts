import { codeLines, refusedLines } from './promo-code-lines';

describe('the promo codes box, one code a line', () => {
  it('reads one trimmed code a line, keeping each line’s number and skipping blank ones', () => {
    expect(codeLines('SPRING10\r\n\n  save20 \n\t\nSAVE30')).toEqual([
      { line: 1, code: 'SPRING10' },
      { line: 3, code: 'save20' },
      { line: 5, code: 'SAVE30' },
    ]);
    expect(codeLines(' \n')).toEqual([]);
  });

  it('puts each refusal of a bulk request on the line it names, past the skipped blank lines, and says lines in the reason', () => {
    const lines = codeLines('SAVE20\n\nsave20\nSPRING 10');
    const refused = refusedLines(lines, [
      { field: 'codes[2]', reason: 'must be 1 to 64 characters with no spaces or control characters' },
      { field: 'codes[1]', reason: '"save20" repeats codes[0] ("SAVE20"); codes match regardless of case' },
    ]);
    expect(refused).toEqual([
      { line: 3, code: 'save20', reason: '"save20" repeats line 1 ("SAVE20"); codes match regardless of case' },
      { line: 4, code: 'SPRING 10', reason: 'must be 1 to 64 characters with no spaces or control characters' },
    ]);
  });

  it('puts the refusal of a single code (named `code`) on its line', () => {
    const refused = refusedLines(codeLines('\nSAVE10'), [{ field: 'code', reason: '"SAVE10" is already coupon code 7 (affiliate 2, offer 1)' }]);
    expect(refused).toEqual([{ line: 2, code: 'SAVE10', reason: '"SAVE10" is already coupon code 7 (affiliate 2, offer 1)' }]);
  });

  it('keeps a refusal of the whole list, and leaves the other fields to their own inputs', () => {
    const refused = refusedLines(codeLines('A\nB'), [
      { field: 'codes', reason: 'was created by a concurrent request; nothing was created' },
      { field: 'affiliateId', reason: 'names no affiliate (9)' },
    ]);
    expect(refused).toEqual([{ reason: 'codes: was created by a concurrent request; nothing was created' }]);
  });
});
