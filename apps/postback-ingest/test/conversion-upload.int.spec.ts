import { newId } from '@tracklane/contracts';
import { MAX_UPLOAD_ROWS, signPostback, UploadAnswer, UploadRowResult } from '@tracklane/postback-intake';
import { createHash } from 'node:crypto';
import { PostbackKit, startPostbackKit } from './postback-test-kit';

const SECRET = 'upload-signing-secret';

/**
 * Offline conversions as a CSV file (POST /v1/conversions/upload), on real Kafka, PostgreSQL and Redis:
 * each row is a postback of its own, answered by its line; a file uploaded twice books nothing twice; what
 * cannot be read as a file is refused before any row is booked.
 */
describe('conversion file upload', () => {
  let kit: PostbackKit;
  /** Events acknowledged so far by this suite. */
  let published = 0;

  beforeAll(async () => {
    kit = await startPostbackKit([
      { id: 1, token: 'tok-1' },
      // Names its own columns: OrderNumber, SaleAmount, Click.
      { id: 2, token: 'tok-2', paramMapping: { params: { OrderNumber: 'order_id', SaleAmount: 'amount', Click: 'click_id' } } },
      { id: 3, token: 'tok-3', signingSecret: SECRET, requireSignature: true },
    ]);
  });
  afterAll(async () => {
    await kit?.close();
  });

  async function upload(csv: string | Buffer, headers: Record<string, string> = { 'x-tracklane-token': 'tok-1' }, contentType = 'text/csv') {
    const response = await fetch(`${kit.service.url}/v1/conversions/upload`, {
      method: 'POST',
      body: csv,
      headers: { 'content-type': contentType, ...headers },
    });
    return { status: response.status, body: (await response.json()) as UploadAnswer & Record<string, unknown> };
  }

  const accepted = (results: UploadRowResult[]) => results.filter((result) => result.outcome === 'accepted');

  it('books each row once, answers each by its line, and books nothing again when the same file comes back', async () => {
    const clicks = [newId(), newId(), newId(), newId()];
    const csv =
      '\uFEFFclick_id,order_id,amount,currency,goal,adv_sub1\r\n' +
      `${clicks[0]},POS-1,19.90,EUR,sale,"Store 12, Berlin"\r\n` +
      `${clicks[1]},POS-2,5,EUR,sale,"He said ""hi"""\r\n` +
      `${clicks[2]},POS-3,-4,EUR,sale,\r\n` + // a negative amount: refused, field named
      `${clicks[3]},,10,EUR,sale,\r\n` + // no order id: refused (a second upload would book it twice)
      `${clicks[0]},POS-1,19.90,EUR,sale,"Store 12, Berlin"\r\n` + // the same sale twice in the file
      '\r\n' +
      `not-a-click-id,POS-5,1,EUR,sale,\r\n`;
    const first = await upload(csv);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, rows: 6, accepted: 2, duplicates: 1, refused: 3, notTried: 0 });
    const byLine = Object.fromEntries(first.body.results.map((result) => [result.line, result]));
    expect(byLine[2]).toMatchObject({ outcome: 'accepted', orderId: 'POS-1', kind: 'conversion' });
    expect(byLine[3]).toMatchObject({ outcome: 'accepted', orderId: 'POS-2' });
    expect(byLine[4]).toMatchObject({ outcome: 'refused', status: 400, orderId: 'POS-3', errors: [expect.objectContaining({ field: 'amount' })] });
    expect(byLine[5]).toMatchObject({ outcome: 'refused', status: 400, errors: [expect.objectContaining({ field: 'order_id', rule: 'required' })] });
    expect(byLine[6]).toMatchObject({ outcome: 'duplicate', orderId: 'POS-1', conversionId: (byLine[2] as { conversionId: string }).conversionId });
    expect(byLine[8]).toMatchObject({ outcome: 'refused', status: 400, errors: [expect.objectContaining({ field: 'click_id' })] });

    // Exactly one event per accepted row, by conversion id, with the quoted cells as written.
    published += 2;
    const events = (await kit.events(published)).filter((event) => event.orderId?.startsWith('POS-'));
    expect(events.map((event) => event.conversionId).sort()).toEqual(accepted(first.body.results).map((row) => (row as { conversionId: string }).conversionId).sort());
    expect(events.find((event) => event.orderId === 'POS-1')).toMatchObject({ clickId: clicks[0], amount: '19.90', currency: 'EUR', advSub1: 'Store 12, Berlin' });
    expect(events.find((event) => event.orderId === 'POS-2')?.advSub1).toBe('He said "hi"');

    // The same file again: every booked row a duplicate of its first answer; the refused ones refused again.
    const again = await upload(csv);
    expect(again.body).toMatchObject({ ok: true, rows: 6, accepted: 0, duplicates: 3, refused: 3 });
    for (const row of again.body.results.filter((result) => result.outcome === 'duplicate')) {
      expect((row as { conversionId: string }).conversionId).toBe((byLine[row.line === 6 ? 2 : row.line] as { conversionId: string }).conversionId);
    }
    expect((await kit.events(published)).filter((event) => event.orderId?.startsWith('POS-'))).toHaveLength(2);
  });

  it("reads the advertiser's own column names through its partner mapping, and a semicolon-separated export", async () => {
    const click = newId();
    const result = await upload(`Click;OrderNumber;SaleAmount;currency\n${click};CALL-77;"1234,50";EUR\n`, { 'x-tracklane-token': 'tok-2' });
    // A decimal comma is not a decimal point: refused with the field named, not read as 1234 or 123450.
    expect(result.body.results[0]).toMatchObject({ outcome: 'refused', errors: [expect.objectContaining({ field: 'amount' })] });
    const fixed = await upload(`Click;OrderNumber;SaleAmount;currency\n${click};CALL-77;1234.50;EUR\n`, { 'x-tracklane-token': 'tok-2' });
    expect(fixed.body).toMatchObject({ ok: true, accepted: 1 });
    published += 1;
    expect((await kit.events(published)).find((event) => event.orderId === 'CALL-77')).toMatchObject({ clickId: click, amount: '1234.50' });
  });

  it('authenticates as a postback does, with the file signed through its SHA-256', async () => {
    const csv = `click_id,order_id,amount\n${newId()},SIGNED-1,3\n`;
    expect((await upload(csv, {})).status).toBe(401);
    expect((await upload(csv, { 'x-tracklane-token': 'wrong' })).status).toBe(401);
    expect((await upload(csv, { 'x-tracklane-token': 'tok-3' })).body).toMatchObject({ error: 'unauthorized', reason: 'missing_signature' });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = (body: string) =>
      signPostback(SECRET, { method: 'POST', path: '/v1/conversions/upload', params: [['body_sha256', createHash('sha256').update(body).digest('hex')]], timestamp });
    const signedHeaders = (body: string) => ({ 'x-tracklane-token': 'tok-3', 'x-tracklane-timestamp': timestamp, 'x-tracklane-signature': signature(body) });
    // A signature of another file does not cover this one.
    const tampered = await upload(csv.replace(',3\n', ',3000\n'), signedHeaders(csv));
    expect(tampered.body).toMatchObject({ reason: 'bad_signature' });
    const signed = await upload(csv, signedHeaders(csv));
    expect(signed.body).toMatchObject({ ok: true, accepted: 1 });
    published += 1;
  });

  it('refuses what is no readable CSV file with a 4xx before booking any row', async () => {
    const before = (await kit.events(published)).length;
    const refusals = [
      ['no rows', await upload('click_id,order_id\n')],
      ['empty', await upload('')],
      ['unclosed quote', await upload(`click_id,order_id\n${newId()},"POS-9\n`)],
      ['stray quote', await upload(`click_id,order_id\n${newId()},PO"S-9\n`)],
      ['column named twice', await upload(`order_id,click_id,ORDER_ID\n1,${newId()},2\n`)],
      ['column without a name', await upload(`order_id,,click_id\n1,x,${newId()}\n`)],
      ['not UTF-8', await upload(Buffer.from([0x6f, 0x72, 0x64, 0x65, 0x72, 0x5f, 0x69, 0x64, 0x0a, 0xe9, 0x0a]))],
      ['a JSON body', await upload('{"order_id":"1"}', { 'x-tracklane-token': 'tok-1' }, 'application/json')],
    ] as const;
    expect(refusals.map(([what, answer]) => [what, answer.status])).toEqual([
      ['no rows', 400],
      ['empty', 400],
      ['unclosed quote', 400],
      ['stray quote', 400],
      ['column named twice', 400],
      ['column without a name', 400],
      ['not UTF-8', 400],
      ['a JSON body', 415],
    ]);
    expect(refusals.find(([what]) => what === 'unclosed quote')?.[1].body.reason).toMatch(/^line 2: a quoted cell is never closed/);
    const tooMany = `click_id,order_id\n${Array.from({ length: MAX_UPLOAD_ROWS + 1 }, (_, i) => `${newId()},BULK-${i}`).join('\n')}\n`;
    expect((await upload(tooMany)).status).toBe(413);
    expect(await kit.events(published)).toHaveLength(before);
  });

  it('answers generated hostile files with a 2xx or a 4xx naming the reason, never a 5xx, and books no row they name badly', async () => {
    const alphabet = ['"', ',', ';', '\t', '\n', '\r', '\u0000', '\uFFFF', '\uD800', 'é', '𝄞', 'a', '1', '.', '-', ' ', 'order_id', 'click_id', 'amount'];
    const pick = () => alphabet[(Math.random() * alphabet.length) | 0];
    const before = (await kit.events(published)).length;
    for (let file = 0; file < 150; file++) {
      const header = Math.random() < 0.5 ? 'click_id,order_id,amount\n' : '';
      const body = header + Array.from({ length: 1 + ((Math.random() * 60) | 0) }, pick).join('');
      const answer = await upload(body);
      expect([file, answer.status < 500, typeof answer.body.reason === 'string' || Array.isArray(answer.body.results)]).toEqual([file, true, true]);
      for (const row of answer.body.results ?? []) expect(['refused', 'accepted', 'duplicate']).toContain(row.outcome);
    }
    // A random file names no valid click id: nothing was booked.
    expect(await kit.events(published)).toHaveLength(before);
    expect((await fetch(`${kit.service.url}/readyz`)).status).toBe(200);
  });
});
