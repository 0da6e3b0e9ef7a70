import { Prisma } from '@tracklane/db';
import { auditImage } from './audit-image';

describe('audit images', () => {
  it('are plain JSON with exact decimals and ISO times', () => {
    const image = auditImage({
      id: 4,
      payoutAmount: new Prisma.Decimal('12.3456'),
      createdAt: new Date('2025-03-30T01:02:03.000Z'),
      sequence: BigInt('9007199254740993'),
      archivedAt: null,
    });
    expect(image).toEqual({ id: 4, payoutAmount: '12.3456', createdAt: '2025-03-30T01:02:03.000Z', sequence: '9007199254740993', archivedAt: null });
  });

  it('record that a credential is set, never its value', () => {
    const image = auditImage({ postbackToken: 'tok', signingSecret: 'sec', postbackSecret: 'ps', keyHash: 'h', name: 'Acme' });
    expect(image).toEqual({
      postbackToken: '[redacted]',
      signingSecret: '[redacted]',
      postbackSecret: '[redacted]',
      keyHash: '[redacted]',
      name: 'Acme',
    });
    expect(auditImage({ signingSecret: null })).toEqual({ signingSecret: null });
    expect(auditImage(null)).toBeNull();
  });
});
