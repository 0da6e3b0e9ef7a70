import { AttributionV1, newId } from '@tracklane/contracts';

/** A decided conversion as attribution publishes it; override what a test cares about. */
export function attribution(overrides: Partial<AttributionV1> = {}): AttributionV1 {
  return {
    v: 1,
    kind: 'decision',
    eventId: newId(),
    conversionId: newId(),
    clickId: newId(),
    advertiserId: 1,
    offerId: 10,
    affiliateId: 7,
    goalId: 100,
    goalCode: 'sale',
    status: 'approved',
    previousStatus: null,
    reason: 'attributed',
    revenue: '987.6543',
    payout: '12.5000',
    currency: 'EUR',
    saleAmount: '4321.0000',
    orderId: 'ORDER-SECRET-1',
    clickAt: '2026-11-28T10:00:00.000Z',
    convertedAt: '2026-11-28T10:05:00.000Z',
    decidedAt: '2026-11-28T10:05:01.000Z',
    sub1: 'sub one',
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    source: 'newsletter',
    affClickId: 'aff-123',
    country: 'DE',
    device: 'mobile',
    ...overrides,
  };
}
