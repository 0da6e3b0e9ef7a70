import { BadTrackingLink, parseTrackingLink, RawQuery } from './tracking-link';

function refusal(query: RawQuery, pathOfferId?: string): { field: string; reason: string } {
  try {
    parseTrackingLink(query, pathOfferId);
  } catch (error) {
    if (error instanceof BadTrackingLink) return { field: error.field, reason: error.reason };
    throw error;
  }
  throw new Error('expected the link to be refused');
}

describe('parseTrackingLink', () => {
  it('reads the path form with every named field and keeps the rest as extra parameters', () => {
    const link = parseTrackingLink(
      { aff_id: '7', sub1: 'a', sub2: 'b', sub3: 'c', sub4: 'd', sub5: 'e', source: 'mail', aff_click_id: 'x9', offer_id: '99', gclid: 'g' },
      '10',
    );
    expect(link).toEqual({
      offerId: 10,
      affiliateId: 7,
      sub1: 'a',
      sub2: 'b',
      sub3: 'c',
      sub4: 'd',
      sub5: 'e',
      source: 'mail',
      affClickId: 'x9',
      params: { offer_id: '99', gclid: 'g' },
    });
  });

  it('reads the query form and the aliases, preferring the canonical name whatever the order', () => {
    const link = parseTrackingLink({
      aff_sub: 'alias-1',
      sub1: 'canonical-1',
      aff_sub3: 'alias-3',
      offer_id: '10',
      affiliate_id: '7',
      source_id: 'src',
    });
    expect(link).toMatchObject({ offerId: 10, affiliateId: 7, sub1: 'canonical-1', sub3: 'alias-3', source: 'src', params: {} });
  });

  it('treats empty parameters as absent and takes the first of a repeated one', () => {
    const link = parseTrackingLink({ aff_id: ['7', '8'], sub1: '', note: '' }, '10');
    expect(link).toMatchObject({ affiliateId: 7, sub1: null, params: {} });
  });

  it('keeps a parameter named __proto__ as data', () => {
    const query: RawQuery = Object.create(null);
    query.aff_id = '7';
    query['__proto__'] = 'x';
    const link = parseTrackingLink(query, '10');
    expect(Object.getPrototypeOf(link.params)).toBeNull();
    expect(Object.keys(link.params)).toEqual(['__proto__']);
  });

  it.each([
    [{}, '10', 'aff_id', 'is required'],
    [{ aff_id: '0' }, '10', 'aff_id', 'must be a positive integer'],
    [{ aff_id: '-7' }, '10', 'aff_id', 'must be a positive integer'],
    [{ aff_id: '7.5' }, '10', 'aff_id', 'must be a positive integer'],
    [{ aff_id: '2147483648' }, '10', 'aff_id', 'must be a positive integer'],
    [{ aff_id: '7' }, '01', 'offer_id', 'must be a positive integer'],
    [{ aff_id: '7' }, undefined, 'offer_id', 'is required'],
    [{ aff_id: '7', sub2: 'x'.repeat(513) }, '10', 'sub2', 'must be at most 512 characters'],
    [{ aff_id: '7', gclid: 'x'.repeat(1025) }, '10', 'gclid', 'must be at most 1024 characters'],
  ])('refuses %j on offer %s: %s %s', (query, offer, field, reason) => {
    expect(refusal(query as RawQuery, offer)).toEqual({ field, reason });
  });

  it('refuses absurd input: too many parameters, or names too long to be real', () => {
    const many: RawQuery = { aff_id: '7' };
    for (let i = 0; i < 64; i++) many[`p${i}`] = '1';
    expect(refusal(many, '10')).toEqual({ field: 'query', reason: 'must have at most 64 parameters' });
    expect(refusal({ aff_id: '7', ['n'.repeat(200)]: '1' }, '10')).toEqual({
      field: `${'n'.repeat(64)}…`,
      reason: 'parameter names must be at most 64 characters',
    });
  });

  it('accepts values up to the limits', () => {
    const link = parseTrackingLink({ aff_id: '2147483647', sub1: 'x'.repeat(512), note: 'y'.repeat(1024) }, '2147483647');
    expect(link.affiliateId).toBe(2_147_483_647);
    expect(link.sub1).toHaveLength(512);
    expect(link.params.note).toHaveLength(1024);
  });

  it('makes free text storable instead of refusing it, so the visitor is still sent on', () => {
    const link = parseTrackingLink(
      { aff_id: '7', sub1: 'a\u0000b', sub2: '\ud800x', source: '\u0001\u0002', aff_click_id: 'tab\tok', ['q\u0000']: 'v\u0007', q: 'second' },
      '10',
    );
    expect(link).toMatchObject({ sub1: 'ab', sub2: '\ufffdx', source: null, affClickId: 'tab\tok' });
    expect({ ...link.params }).toEqual({ q: 'v' });
  });

  it('keeps invalid percent-encoding as the HTTP layer left it (it is storable)', () => {
    expect(parseTrackingLink({ aff_id: '7', sub1: '%C0%80%ZZ' }, '10').sub1).toBe('%C0%80%ZZ');
  });

  it('refuses ids that are digits only once control characters are dropped', () => {
    expect(refusal({ aff_id: '7\u0000' }, '10')).toEqual({ field: 'aff_id', reason: 'must be a positive integer' });
    expect(refusal({ aff_id: '7', offer_id: '1\u0000' })).toEqual({ field: 'offer_id', reason: 'must be a positive integer' });
  });

  it('counts limits in characters (code points), not UTF-16 units', () => {
    expect(parseTrackingLink({ aff_id: '7', sub1: '😀'.repeat(512) }, '10').sub1).toBe('😀'.repeat(512));
    expect(refusal({ aff_id: '7', sub1: '😀'.repeat(513) }, '10')).toEqual({ field: 'sub1', reason: 'must be at most 512 characters' });
  });
});
