import { Writable } from 'node:stream';
import { createLogger } from './logger';

function logged(write: (logger: ReturnType<typeof createLogger>) => void): Record<string, unknown> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  write(createLogger('test', 'info', sink));
  return JSON.parse(lines[0]);
}

describe('log redaction', () => {
  const key = 'tl_live_AbCdEf0123456789AbCdEf0123456789AbCdEf01';

  it('never writes API keys, tokens, signatures or secrets, at the top level or one level down', () => {
    const line = logged((logger) =>
      logger.info(
        {
          apiKey: key,
          api_key: key,
          token: 'tok-acme',
          signature: 'ab'.repeat(32),
          authorization: `Bearer ${key}`,
          headers: { authorization: `Bearer ${key}`, 'x-api-key': key, 'x-tracklane-token': 'tok', 'x-tracklane-signature': 'sig', accept: '*/*' },
          advertiser: { postbackToken: 'tok-acme', signingSecret: 's3cret', name: 'Acme' },
          affiliate: { postbackSecret: 'whsec', id: 7 },
          request: { headers: { authorization: `Bearer ${key}` } },
        },
        'hello',
      ),
    );
    expect(JSON.stringify(line)).not.toContain(key);
    expect(JSON.stringify(line)).not.toMatch(/tok-acme|s3cret|whsec|"sig"|abab/);
    expect(line).toMatchObject({ headers: { accept: '*/*' }, advertiser: { name: 'Acme' }, affiliate: { id: 7 }, msg: 'hello' });
  });

  it('keeps URLs readable but masks the credentials in them', () => {
    const line = logged((logger) =>
      logger.info({
        url: `/v1/reports/stats?from=2026-01-01&api_key=${key}&group_by=offer`,
        request: { url: 'https://user:pass@hooks.example/pb?token=tok-acme&c=1' },
      }),
    );
    expect(line.url).toBe('/v1/reports/stats?from=2026-01-01&api_key=[redacted]&group_by=offer');
    expect((line.request as { url: string }).url).toBe('https://[redacted]@hooks.example/pb?token=[redacted]&c=1');
  });

  it('leaves the objects it was given as they were', () => {
    const fields = { token: 'tok-acme', advertiser: { signingSecret: 's3cret', name: 'Acme' }, headers: { Authorization: `Bearer ${key}` } };
    const before = JSON.stringify(fields);
    const line = logged((logger) => logger.info(fields, 'hello'));
    expect(JSON.stringify(fields)).toBe(before);
    expect(JSON.stringify(line)).not.toMatch(/tok-acme|s3cret|Bearer/);
    expect(line).toMatchObject({ advertiser: { name: 'Acme' } });
  });
});
