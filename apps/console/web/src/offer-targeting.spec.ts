import { describeTargeting, targetingForm, targetingOf, targetingRefusals } from './offer-targeting';

describe('the targeting editor', () => {
  it('sends the lists that name something, country codes in capitals, choices in the API’s order', () => {
    expect(targetingOf({ countries: 'de, at;ch  ', excludedCountries: '', devices: ['mobile'], operatingSystems: [], browsers: ['safari', 'chrome'] })).toEqual({
      countries: ['DE', 'AT', 'CH'],
      devices: ['mobile'],
      browsers: ['chrome', 'safari'],
    });
  });

  it('sends null when nothing restricts, so the offer takes every visitor', () => {
    expect(targetingOf({ countries: ' , ', excludedCountries: '', devices: [], operatingSystems: [], browsers: [] })).toBeNull();
  });

  it('shows an offer’s targeting as it was saved, and nothing for an offer without one', () => {
    const saved = { countries: ['DE', 'AT'], excludedCountries: ['RU'], operatingSystems: ['ios' as const] };
    expect(targetingForm(saved)).toEqual({ countries: 'DE, AT', excludedCountries: 'RU', devices: [], operatingSystems: ['ios'], browsers: [] });
    expect(targetingOf(targetingForm(saved))).toEqual(saved);
    expect(targetingForm(null)).toEqual({ countries: '', excludedCountries: '', devices: [], operatingSystems: [], browsers: [] });
  });

  it('puts a refusal on the list it names, with the value as typed', () => {
    const sent = { countries: ['DE', 'XX'] };
    expect(targetingRefusals([{ field: 'targeting', reason: 'countries[1] must be an ISO 3166-1 alpha-2 country code in capitals (e.g. "DE")' }], sent)).toEqual([
      { field: 'targeting.countries', reason: '"XX" must be an ISO 3166-1 alpha-2 country code in capitals (e.g. "DE")' },
    ]);
    expect(targetingRefusals([{ field: 'targeting', reason: 'excludedCountries names a value twice' }], sent)).toEqual([{ field: 'targeting.excludedCountries', reason: 'names a value twice' }]);
    expect(targetingRefusals([{ field: 'alternativeOfferId', reason: 'names the offer itself' }], sent)).toEqual([{ field: 'alternativeOfferId', reason: 'names the offer itself' }]);
  });

  it('describes a targeting in a few words', () => {
    expect(describeTargeting(null)).toBe('every visitor');
    expect(describeTargeting({ countries: ['DE'], excludedCountries: ['RU'], devices: ['mobile', 'tablet'] })).toBe('countries DE; not RU; mobile, tablet');
  });
});
