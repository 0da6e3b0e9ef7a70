import { maskUrl } from './url-masking';

describe('maskUrl', () => {
  it('masks credential-like query parameters and keeps the rest as sent', () => {
    expect(maskUrl('https://aff.example/pb?cid=a%20b&api_key=s3cr3t&Token=x&sig=abc&status=approved&password=p')).toBe(
      'https://aff.example/pb?cid=a%20b&api_key=***&Token=***&sig=***&status=approved&password=***',
    );
  });

  it('masks user info', () => {
    expect(maskUrl('https://user:pass@aff.example:8443/pb?x=1')).toBe('https://***@aff.example:8443/pb?x=1');
  });

  it('leaves a URL without secrets unchanged, and drops the fragment', () => {
    expect(maskUrl('http://aff.example/pb/{x}?a=1&b')).toBe('http://aff.example/pb/{x}?a=1&b');
    expect(maskUrl('http://aff.example/pb?a=1#key=2')).toBe('http://aff.example/pb?a=1');
  });

  it('shows nothing of what it cannot parse', () => {
    expect(maskUrl('not a url with secret=1')).toBe('***');
  });
});
