import { fraudVerdict } from './fraud-policy';

const policy = { onBot: 'reject', onRateLimited: 'pending', onNonUnique: 'allow' } as const;

describe('fraud policy', () => {
  it('allows a clean click', () => {
    expect(fraudVerdict({ flags: [], unique: true }, policy)).toEqual({ action: 'allow', reason: null });
  });

  it('applies the offer action of each flag', () => {
    expect(fraudVerdict({ flags: ['bot'], unique: true }, policy)).toEqual({ action: 'reject', reason: 'bot_click' });
    expect(fraudVerdict({ flags: ['rate_limited'], unique: true }, policy)).toEqual({ action: 'pending', reason: 'rate_limited_click' });
    expect(fraudVerdict({ flags: [], unique: false }, policy)).toEqual({ action: 'allow', reason: null });
    expect(fraudVerdict({ flags: [], unique: false }, { ...policy, onNonUnique: 'pending' })).toEqual({
      action: 'pending',
      reason: 'non_unique_click',
    });
  });

  it('lets the strictest action win when several flags are set', () => {
    expect(fraudVerdict({ flags: ['rate_limited', 'bot'], unique: false }, policy)).toEqual({ action: 'reject', reason: 'bot_click' });
    expect(fraudVerdict({ flags: ['bot', 'rate_limited'], unique: true }, { ...policy, onBot: 'allow' })).toEqual({
      action: 'pending',
      reason: 'rate_limited_click',
    });
  });

  it('names the first flag in order bot, rate-limited, non-unique among equally strict ones', () => {
    const allPending = { onBot: 'pending', onRateLimited: 'pending', onNonUnique: 'pending' } as const;
    expect(fraudVerdict({ flags: ['rate_limited', 'bot'], unique: false }, allPending).reason).toBe('bot_click');
  });
});
