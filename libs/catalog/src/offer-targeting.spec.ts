import { compileTargeting, offerTargetingProblem } from './offer-targeting';

describe('offer targeting', () => {
  it('accepts lists of known values, each list optional', () => {
    expect(offerTargetingProblem({})).toBeNull();
    expect(
      offerTargetingProblem({
        countries: ['DE', 'AT', 'CH'],
        excludedCountries: ['GB'],
        devices: ['mobile', 'tablet'],
        operatingSystems: ['android', 'ios'],
        browsers: ['chrome', 'safari'],
      }),
    ).toBeNull();
  });

  it.each([
    [null, 'must be an object of lists'],
    [['DE'], 'must be an object of lists'],
    [{ country: ['DE'] }, 'country is not a targeting list'],
    [{ countries: 'DE' }, 'countries must be a list'],
    [{ countries: [] }, 'countries must name at least one value, or be left out'],
    [{ countries: ['de'] }, 'countries[0] must be an ISO 3166-1 alpha-2 country code in capitals'],
    [{ countries: ['DE', 'QQ'] }, 'countries[1] must be an ISO 3166-1 alpha-2'],
    [{ excludedCountries: ['ZZ'] }, 'excludedCountries[0] must be an ISO 3166-1 alpha-2'],
    [{ countries: ['DE', 'DE'] }, 'countries names a value twice'],
    [{ devices: ['phone'] }, 'devices[0] must be one of mobile, tablet, desktop'],
    [{ operatingSystems: ['windows', 7] }, 'operatingSystems[1] must be one of android, ios, windows, macos, linux, chromeos'],
    [{ browsers: ['ie'] }, 'browsers[0] must be one of chrome, safari, firefox, edge, opera, samsung'],
    [{ ['__proto__']: ['DE'] }, '__proto__ is not a targeting list'],
  ])('names what is wrong with %j', (value, problem) => {
    expect(offerTargetingProblem(value)).toContain(problem);
  });

  it('refuses an inherited name as a list', () => {
    expect(offerTargetingProblem(JSON.parse('{"toString": ["DE"]}'))).toContain('toString is not a targeting list');
  });

  it('compiles the stored lists to sets, a list left out to null, no targeting to null', () => {
    expect(compileTargeting(null)).toBeNull();
    const compiled = compileTargeting({ countries: ['DE'], browsers: ['safari'] });
    expect(compiled?.countries?.has('DE')).toBe(true);
    expect(compiled?.browsers?.has('safari')).toBe(true);
    expect(compiled?.devices).toBeNull();
    expect(compiled?.excludedCountries).toBeNull();
  });
});
