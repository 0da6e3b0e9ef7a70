import { AttributionV1 } from '@tracklane/contracts';
import { ConversionRow, applyAttributions } from './conversion-states';

const decision: AttributionV1 = {
  v: 1,
  kind: 'decision',
  eventId: 'e1',
  conversionId: 'c1',
  clickId: 'k1',
  advertiserId: 1,
  offerId: 10,
  affiliateId: 7,
  goalId: 100,
  goalCode: 'sale',
  status: 'pending',
  previousStatus: null,
  reason: 'held_for_review',
  revenue: '10.0000',
  payout: '7.0000',
  currency: 'USD',
  saleAmount: '100.0000',
  orderId: 'o1',
  clickAt: '2025-03-01T10:00:00.000Z',
  convertedAt: '2025-03-01T11:00:00.000Z',
  decidedAt: '2025-03-01T11:00:01.000Z',
  sub1: 'a',
  sub2: null,
  sub3: null,
  sub4: null,
  sub5: null,
  source: null,
  affClickId: null,
  country: 'US',
  device: 'mobile',
};
const change = (overrides: Partial<AttributionV1>): AttributionV1 => ({
  ...decision,
  kind: 'status_change',
  eventId: 'e2',
  previousStatus: 'pending',
  status: 'approved',
  reason: 'approved_by_advertiser',
  decidedAt: '2025-03-02T09:00:00.000Z',
  ...overrides,
});

describe('applyAttributions', () => {
  it('takes a new conversion from its decision', () => {
    const { states, anomalies } = applyAttributions(new Map(), [decision]);
    expect(states).toEqual([expect.objectContaining({ conversion_id: 'c1', status: 'pending', revenue: '10.0000', converted_at: decision.convertedAt, last_event_id: 'e1' })]);
    expect(anomalies).toEqual([]);
  });

  it('applies changes in order, keeping the first decision’s dimensions and time', () => {
    const [known] = applyAttributions(new Map(), [decision]).states;
    const moved = change({ sub1: 'changed', convertedAt: '2025-04-01T00:00:00.000Z', revenue: '12.0000' });
    const refunded = change({ eventId: 'e3', previousStatus: 'approved', status: 'refunded', decidedAt: '2025-03-03T09:00:00.000Z', revenue: '12.0000' });
    const { states, anomalies } = applyAttributions(new Map([['c1', known]]), [moved, refunded]);
    expect(states).toHaveLength(1);
    expect(states[0]).toMatchObject({
      status: 'refunded',
      revenue: '12.0000',
      sub1: 'a',
      converted_at: decision.convertedAt,
      first_decided_at: decision.decidedAt,
      last_decided_at: '2025-03-03T09:00:00.000Z',
      last_event_id: 'e3',
    });
    expect(anomalies).toEqual([]);
  });

  it('applies what attribution says cannot happen, and reports it', () => {
    const early = change({ conversionId: 'c2' });
    const known: ConversionRow = { ...applyAttributions(new Map(), [decision]).states[0], status: 'approved' };
    const { states, anomalies } = applyAttributions(new Map([['c1', known]]), [early, { ...decision, eventId: 'e9' }, change({ eventId: 'e10' })]);
    expect(states.map((state) => [state.conversion_id, state.status])).toEqual([
      ['c2', 'approved'],
      ['c1', 'approved'],
    ]);
    expect(anomalies.map((anomaly) => [anomaly.kind, anomaly.eventId])).toEqual([
      ['status_change_before_decision', 'e2'],
      ['repeated_decision', 'e9'],
    ]);
    const mismatch = applyAttributions(new Map([['c1', known]]), [change({ eventId: 'e11' })]).anomalies;
    expect(mismatch).toEqual([expect.objectContaining({ kind: 'previous_status_mismatch', detail: 'event says pending, read model has approved' })]);
  });
});
