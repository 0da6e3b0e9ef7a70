import { MASKED, maskedParams, storableText, unreadParams } from './masked-params';

describe('maskedParams', () => {
  it('masks the token and the signature under any case, and whatever the caller calls secret', () => {
    const shown = maskedParams(
      [
        ['Token', 't'],
        ['security_token', 's'],
        ['signature', 'x'],
        ['timestamp', '1700000000'],
        ['api_key', 'k'],
        ['other', 'tok-real'],
        ['click_id', 'c'],
      ],
      (name, value) => name === 'api_key' || value === 'tok-real',
    );
    expect(shown).toEqual({ Token: MASKED, security_token: MASKED, signature: MASKED, timestamp: '1700000000', api_key: MASKED, other: MASKED, click_id: 'c' });
  });

  it('keeps what PostgreSQL can store: NUL and lone surrogates replaced, long values cut', () => {
    expect(storableText('a\u0000b\ud800c')).toBe('a\ufffdb\ufffdc');
    expect(storableText('😀')).toBe('😀');
    expect(storableText('x'.repeat(3000))).toMatch(/^x{2048}…\[cut\]$/);
  });

  it('reads the raw query and body of a request refused before its parameters were read', () => {
    expect(unreadParams({ a: '1', b: ['x', 'y'] }, { c: 2 })).toEqual([
      ['a', '1'],
      ['b', '["x","y"]'],
      ['c', '2'],
    ]);
    expect(unreadParams(undefined, 'text')).toEqual([]);
  });
});
