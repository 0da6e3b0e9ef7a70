import { ConversionV1 } from '@tracklane/contracts';
import { Money } from '../money/decimal';
import { conversionFixture, clickFixture, statusChangeFixture } from '../testing/fixtures';
import { ConversionRecord } from './conversion-record';
import { ConversionState, applyStatusChanges } from './status-changes';

const click = clickFixture();
const original = conversionFixture(click);

function state(status: ConversionState['current']): Map<string, ConversionState> {
  const record = { conversionId: original.conversionId, advertiserId: 1, revenue: '10.0000', payout: '4.0000', currency: 'USD' } as ConversionRecord;
  return new Map([[original.conversionId, { record, current: status }]]);
}

const change = (status: ConversionV1['status'], overrides: Partial<ConversionV1> = {}) => ({ ...statusChangeFixture(original, status), ...overrides });

describe('applying status changes', () => {
  it('approves a pending conversion: a change row and a release that sums to zero', () => {
    const approve = change('approved');
    const outcome = applyStatusChanges([approve], state('pending'), 1_000);
    expect(outcome.applied.map(({ change }) => change)).toEqual([
      { eventId: approve.eventId, conversionId: original.conversionId, fromStatus: 'pending', toStatus: 'approved', reason: 'approved_by_advertiser', changedAt: 1_000 },
    ]);
    expect(outcome.entries).toHaveLength(6);
    expect(outcome.entries.reduce((sum, entry) => sum.plus(entry.amount), new Money(0)).isZero()).toBe(true);
  });

  it('applies several changes of one conversion in order', () => {
    const outcome = applyStatusChanges([change('approved'), change('refunded'), change('approved')], state('pending'), 1_000);
    expect(outcome.applied.map(({ change }) => `${change.fromStatus}→${change.toStatus}`)).toEqual(['pending→approved', 'approved→refunded']);
    expect(outcome.ignored.map(({ why }) => why)).toEqual(['not_allowed']);
    expect(outcome.entries.map((entry) => `${entry.kind}:${entry.state}`)).toEqual([
      ...Array(3).fill('reversal:pending'),
      ...Array(3).fill('release:approved'),
      ...Array(3).fill('reversal:approved'),
    ]);
  });

  it('ignores repeats and changes without a status, and books nothing for them', () => {
    const outcome = applyStatusChanges([change('approved'), change(null)], state('approved'), 1_000);
    expect(outcome.ignored.map(({ why }) => why)).toEqual(['unchanged', 'no_status']);
    expect(outcome.entries).toEqual([]);
  });

  it("sets aside changes of unknown conversions and of another advertiser's conversion", () => {
    const unknown = change('approved', { conversionId: clickFixture().clickId });
    const foreign = change('rejected', { advertiserId: 2 });
    const outcome = applyStatusChanges([unknown, foreign], state('approved'), 1_000);
    expect(outcome.unknown).toEqual([unknown]);
    expect(outcome.foreign).toEqual([foreign]);
    expect(outcome.applied).toEqual([]);
  });
});
