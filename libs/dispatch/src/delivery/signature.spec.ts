import { createHmac } from 'node:crypto';
import { signatureHeader, signedPayload } from './signature';

describe('postback signature', () => {
  const parts = {
    timestamp: 1795860301,
    idempotencyKey: 'CONV:approved',
    method: 'POST',
    pathAndQuery: '/pb?a=1',
    body: '{"status":"approved"}',
  };

  it('is an HMAC-SHA256 a receiver can recompute from what it received', () => {
    const expected = createHmac('sha256', 'aff-secret')
      .update('1795860301.CONV:approved.POST./pb?a=1.{"status":"approved"}')
      .digest('hex');
    expect(signatureHeader('aff-secret', parts)).toBe(`t=1795860301,v1=${expected}`);
  });

  it('changes with the secret and with every signed part', () => {
    const base = signatureHeader('aff-secret', parts);
    expect(signatureHeader('other', parts)).not.toBe(base);
    expect(signatureHeader('aff-secret', { ...parts, pathAndQuery: '/pb?a=2' })).not.toBe(base);
    expect(signatureHeader('aff-secret', { ...parts, idempotencyKey: 'CONV:rejected' })).not.toBe(base);
    expect(signedPayload({ ...parts, method: 'GET', body: null })).toBe('1795860301.CONV:approved.GET./pb?a=1.');
  });
});
