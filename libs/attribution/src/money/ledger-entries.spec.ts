import { Money } from './decimal';
import { LedgerEntry, decisionEntries, statusChangeEntries } from './ledger-entries';

const amounts = { conversionId: 'c1', revenue: '10.0000', payout: '7.2500', currency: 'USD' };
const sum = (entries: LedgerEntry[]) => entries.reduce((total, entry) => total.plus(entry.amount), new Money(0)).toFixed(4);
const view = (entries: LedgerEntry[]) => entries.map((entry) => `${entry.kind} ${entry.state} ${entry.account} ${entry.amount}`);

describe('ledger entries', () => {
  it('books an approved conversion as receivable, payable and margin summing to zero', () => {
    const entries = decisionEntries(amounts, 'approved');
    expect(view(entries)).toEqual([
      'booking approved advertiser_receivable 10.0000',
      'booking approved affiliate_payable -7.2500',
      'booking approved network_margin -2.7500',
    ]);
    expect(sum(entries)).toBe('0.0000');
    expect(new Set(entries.map((entry) => entry.eventId))).toEqual(new Set(['c1']));
  });

  it('books a pending conversion as pending money and a rejected one not at all', () => {
    expect(decisionEntries(amounts, 'pending').every((entry) => entry.state === 'pending')).toBe(true);
    expect(decisionEntries(amounts, 'rejected')).toEqual([]);
  });

  it('keeps a negative margin when the payout exceeds the revenue', () => {
    expect(view(decisionEntries({ ...amounts, payout: '12.0000' }, 'approved'))[2]).toBe('booking approved network_margin 2.0000');
  });

  it('releases pending money as approved: reverses the pending legs and books approved ones, under the change event', () => {
    const entries = statusChangeEntries('e2', amounts, { reverse: 'pending', book: 'approved' });
    expect(view(entries)).toEqual([
      'reversal pending advertiser_receivable -10.0000',
      'reversal pending affiliate_payable 7.2500',
      'reversal pending network_margin 2.7500',
      'release approved advertiser_receivable 10.0000',
      'release approved affiliate_payable -7.2500',
      'release approved network_margin -2.7500',
    ]);
    expect(sum(entries)).toBe('0.0000');
    expect(entries.every((entry) => entry.eventId === 'e2' && entry.conversionId === 'c1')).toBe(true);
  });

  it('nets an approved then refunded conversion to zero in every account', () => {
    const all = [...decisionEntries(amounts, 'approved'), ...statusChangeEntries('e3', amounts, { reverse: 'approved', book: null })];
    for (const account of ['advertiser_receivable', 'affiliate_payable', 'network_margin']) {
      expect(sum(all.filter((entry) => entry.account === account))).toBe('0.0000');
    }
  });
});
