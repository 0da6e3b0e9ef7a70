import { carriesClickId, CLICK_ID_MACRO_NAMES, DESTINATION_MACRO_NAMES, destinationMacroOf } from './destination-macros';

describe('destination macros', () => {
  it('name every macro and alias click-ingest fills, each standing for one macro, in any case', () => {
    expect(DESTINATION_MACRO_NAMES).toEqual(expect.arrayContaining(['click_id', 'transaction_id', 'aff_id', 'affiliate_id', 'aff_sub', 'source_id', 'timestamp']));
    expect(destinationMacroOf('AFF_SUB')).toBe('sub1');
    expect(destinationMacroOf('Transaction_Id')).toBe('click_id');
    expect(destinationMacroOf('clickid')).toBeUndefined();
    expect(CLICK_ID_MACRO_NAMES).toEqual(['click_id', 'transaction_id']);
  });

  it('tell whether a destination hands the click id to the advertiser', () => {
    expect(carriesClickId('https://a.example/?c={click_id}')).toBe(true);
    expect(carriesClickId('https://a.example/{TRANSACTION_ID}/x')).toBe(true);
    expect(carriesClickId('https://a.example/?s={sub1}&a={aff_id}')).toBe(false);
    expect(carriesClickId('https://a.example/?c=click_id')).toBe(false);
    expect(carriesClickId('https://a.example/?c={clickid}')).toBe(false);
  });
});
