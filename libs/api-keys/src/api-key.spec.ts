import { apiKeyMatches, apiKeyPrefix, hashApiKey, issueApiKey } from './api-key';

describe('API keys', () => {
  it('are random, carry their lookup prefix, and match only their own hash', () => {
    const first = issueApiKey();
    const second = issueApiKey();
    expect(first.key).not.toBe(second.key);
    expect(first.key).toMatch(/^tl_[0-9a-z]{8}_[0-9A-Za-z_-]{32}$/);
    expect(apiKeyPrefix(first.key)).toBe(first.prefix);
    expect(apiKeyMatches(first.key, first.hash)).toBe(true);
    expect(apiKeyMatches(second.key, first.hash)).toBe(false);
    expect(first.hash).toBe(hashApiKey(first.key));
    expect(first.hash).not.toContain(first.key.slice(12));
  });

  it('refuse anything that is not shaped like a key', () => {
    expect(apiKeyPrefix('')).toBeNull();
    expect(apiKeyPrefix('tl_short_x')).toBeNull();
    expect(apiKeyPrefix("tl_abcdefgh_' OR '1'='1' --------------")).toBeNull();
  });
});
