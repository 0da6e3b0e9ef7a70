import { decidedStatus, statusTransition } from './status';

const clean = { action: 'allow', reason: null } as const;

describe('decided status', () => {
  it("uses the advertiser's status, else the goal's default", () => {
    expect(decidedStatus('pending', 'approved', clean)).toEqual({ status: 'pending', reason: 'attributed' });
    expect(decidedStatus(null, 'pending', clean)).toEqual({ status: 'pending', reason: 'attributed' });
    expect(decidedStatus(null, 'approved', clean)).toEqual({ status: 'approved', reason: 'attributed' });
  });

  it('rejects what the advertiser rejects or refunds at once', () => {
    expect(decidedStatus('rejected', 'approved', clean)).toEqual({ status: 'rejected', reason: 'rejected_by_advertiser' });
    expect(decidedStatus('refunded', 'approved', clean)).toEqual({ status: 'rejected', reason: 'refunded_by_advertiser' });
  });

  it('lets the fraud policy reject before, and hold after, what the advertiser said', () => {
    expect(decidedStatus('approved', 'approved', { action: 'reject', reason: 'bot_click' })).toEqual({ status: 'rejected', reason: 'bot_click' });
    expect(decidedStatus('approved', 'approved', { action: 'pending', reason: 'rate_limited_click' })).toEqual({
      status: 'pending',
      reason: 'rate_limited_click',
    });
    expect(decidedStatus('rejected', 'approved', { action: 'pending', reason: 'rate_limited_click' })).toEqual({
      status: 'rejected',
      reason: 'rejected_by_advertiser',
    });
  });
});

describe('status transitions', () => {
  it('releases pending money when a pending conversion is approved', () => {
    expect(statusTransition('pending', 'approved')).toEqual({
      ok: true,
      move: { reverse: 'pending', book: 'approved' },
      reason: 'approved_by_advertiser',
    });
  });

  it('reverses the money a rejection or refund takes away', () => {
    expect(statusTransition('pending', 'rejected')).toEqual({ ok: true, move: { reverse: 'pending', book: null }, reason: 'rejected_by_advertiser' });
    expect(statusTransition('pending', 'refunded')).toEqual({ ok: true, move: { reverse: 'pending', book: null }, reason: 'refunded_by_advertiser' });
    expect(statusTransition('approved', 'refunded')).toEqual({ ok: true, move: { reverse: 'approved', book: null }, reason: 'refunded_by_advertiser' });
    expect(statusTransition('approved', 'rejected')).toEqual({ ok: true, move: { reverse: 'approved', book: null }, reason: 'rejected_by_advertiser' });
  });

  it('keeps rejected and refunded final, never sends approved back to pending, and ignores repeats', () => {
    expect(statusTransition('rejected', 'approved')).toEqual({ ok: false, why: 'not_allowed' });
    expect(statusTransition('refunded', 'approved')).toEqual({ ok: false, why: 'not_allowed' });
    expect(statusTransition('refunded', 'rejected')).toEqual({ ok: false, why: 'not_allowed' });
    expect(statusTransition('approved', 'pending')).toEqual({ ok: false, why: 'not_allowed' });
    expect(statusTransition('approved', 'approved')).toEqual({ ok: false, why: 'unchanged' });
  });
});
