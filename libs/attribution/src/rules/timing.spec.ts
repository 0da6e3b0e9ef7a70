import { timingRejection } from './timing';

const offer = { attributionWindowSeconds: 30 * 86_400, minClickToConversionSeconds: 10 };
const click = Date.parse('2025-03-01T12:00:00Z');

describe('attribution window and minimum click-to-conversion time', () => {
  it('counts a conversion inside the window', () => {
    expect(timingRejection(click, click + 86_400_000, offer)).toBeNull();
  });

  it('counts a conversion exactly at the end of the window and refuses one a millisecond later', () => {
    const end = click + 30 * 86_400_000;
    expect(timingRejection(click, end, offer)).toBeNull();
    expect(timingRejection(click, end + 1, offer)).toBe('outside_window');
  });

  it('refuses a conversion faster than the minimum time, and counts one exactly at it', () => {
    expect(timingRejection(click, click + 9_999, offer)).toBe('too_fast');
    expect(timingRejection(click, click + 10_000, offer)).toBeNull();
  });

  it('treats a conversion stamped before its click as immediate', () => {
    expect(timingRejection(click, click - 5_000, offer)).toBe('too_fast');
    expect(timingRejection(click, click - 5_000, { ...offer, minClickToConversionSeconds: 0 })).toBeNull();
  });
});
