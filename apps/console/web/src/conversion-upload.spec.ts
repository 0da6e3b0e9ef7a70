import { postbackToken, rowView, uploadOutcome, uploadSummary, type UploadAnswer } from './conversion-upload';

const answered: UploadAnswer = {
  ok: false,
  rows: 3,
  accepted: 1,
  duplicates: 0,
  refused: 1,
  notTried: 1,
  results: [
    { line: 2, orderId: 'TILL-1', outcome: 'accepted', conversionId: 'c1', kind: 'conversion' },
    { line: 3, orderId: 'TILL-2', outcome: 'refused', status: 400, error: 'invalid_parameter', reason: 'amount must be a decimal', errors: [{ field: 'amount', param: 'sum', reason: 'must be a decimal' }] },
    { line: 4, orderId: null, outcome: 'not_tried' },
  ],
};

describe('an upload’s answer', () => {
  it('is rows when postback-ingest answered every row, whatever the status; the whole file refused otherwise', () => {
    expect(uploadOutcome(503, '5', answered)).toEqual({ kind: 'rows', status: 503, retryAfter: '5', answer: answered });
    const problem = { status: 401, title: 'Unauthorized', detail: 'unknown_token', ok: false, error: 'unauthorized', reason: 'unknown_token' };
    expect(uploadOutcome(401, null, problem)).toEqual({ kind: 'refused', status: 401, problem });
    expect(uploadOutcome(502, null, undefined)).toEqual({ kind: 'refused', status: 502, problem: undefined });
  });

  it('shows each row by its line, a refused one with each field (as the file named it) and its reason', () => {
    expect(answered.results.map(rowView)).toEqual([
      { line: 2, orderId: 'TILL-1', outcome: 'accepted', detail: 'conversion c1 (conversion)' },
      { line: 3, orderId: 'TILL-2', outcome: 'refused', detail: 'sum (amount): must be a decimal' },
      { line: 4, orderId: '', outcome: 'not_tried', detail: 'not tried: upload the same file again' },
    ]);
    expect(rowView({ line: 7, orderId: 'Y', outcome: 'refused', status: 400, error: 'invalid_parameter', reason: 'x', errors: [{ field: 'amount', reason: 'amount must be a decimal number' }] }).detail).toBe(
      'amount: must be a decimal number',
    );
    expect(rowView({ line: 5, orderId: 'X', outcome: 'refused', status: 409, error: 'conflict', reason: 'the order was refunded' }).detail).toBe('conflict: the order was refunded');
    expect(rowView({ line: 6, orderId: 'A-1', outcome: 'duplicate', conversionId: 'c0', kind: 'conversion' }).detail).toBe('already booked as conversion c0 (conversion)');
  });

  it('sums up with the totals, and says what to do after a 503 or a 500', () => {
    expect(uploadSummary({ kind: 'rows', status: 200, retryAfter: null, answer: { ...answered, notTried: 0 } })).toBe('3 rows: 1 accepted, 0 duplicates, 1 refused, 0 not tried.');
    expect(uploadSummary({ kind: 'rows', status: 503, retryAfter: '5', answer: answered })).toMatch(/^3 rows: .* 1 not tried\. postback-ingest could not book every row now \(503\); try again in 5 s: upload the same file again/);
    expect(uploadSummary({ kind: 'rows', status: 500, retryAfter: null, answer: answered })).toMatch(/postback-ingest failed \(500\); what was booked stays booked/);
  });
});

describe('the postback token', () => {
  it('is read from the advertiser’s postback URL', () => {
    expect(postbackToken('http://127.0.0.1:8081/postback?click_id={click_id}&token=abc%2Bdef&order_id={order_id}')).toBe('abc+def');
    expect(postbackToken('http://127.0.0.1:8081/postback?click_id={click_id}')).toBeNull();
    expect(postbackToken('not a url')).toBeNull();
  });
});
