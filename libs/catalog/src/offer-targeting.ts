/**
 * Which visitors an offer takes: by country, device, operating system and
 * browser. Stored on the offer as JSON, written only through the management
 * API, which refuses anything `offerTargetingProblem` names; click-ingest
 * applies the same lists from its in-memory catalogue. A list that is left
 * out does not restrict; a visitor whose country or device is unknown does
 * not match a list of allowed ones (an advertiser that pays for German
 * traffic does not pay for traffic of unknown origin) and passes a list of
 * excluded countries.
 */
export const TARGET_DEVICES = ['mobile', 'tablet', 'desktop'] as const;
export const TARGET_OPERATING_SYSTEMS = ['android', 'ios', 'windows', 'macos', 'linux', 'chromeos'] as const;
export const TARGET_BROWSERS = ['chrome', 'safari', 'firefox', 'edge', 'opera', 'samsung'] as const;

export type TargetDevice = (typeof TARGET_DEVICES)[number];
export type TargetOperatingSystem = (typeof TARGET_OPERATING_SYSTEMS)[number];
export type TargetBrowser = (typeof TARGET_BROWSERS)[number];

/** The targeting as the API takes and shows it. */
export interface OfferTargeting {
  /** ISO 3166-1 alpha-2 codes of the countries the offer takes. */
  countries?: string[];
  /** Countries it never takes (with `countries` as well: taken only if listed there and not here). */
  excludedCountries?: string[];
  devices?: TargetDevice[];
  operatingSystems?: TargetOperatingSystem[];
  browsers?: TargetBrowser[];
}

/** The targeting as the redirect applies it: each list a set, a list left out null. */
export interface CompiledTargeting {
  countries: ReadonlySet<string> | null;
  excludedCountries: ReadonlySet<string> | null;
  devices: ReadonlySet<string> | null;
  operatingSystems: ReadonlySet<string> | null;
  browsers: ReadonlySet<string> | null;
}

/** More values than there are countries is a mistake. */
const MOST_VALUES = 300;
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** An assigned ISO 3166-1 alpha-2 code in capitals (as CDNs send them, e.g. CF-IPCountry). */
function isCountryCode(value: string): boolean {
  if (!/^[A-Z]{2}$/.test(value)) return false;
  const name = regionNames.of(value);
  return name !== undefined && name !== value && name !== 'Unknown Region';
}

interface ListRule {
  check: (value: string) => boolean;
  expected: string;
}

const COUNTRY: ListRule = { check: isCountryCode, expected: 'an ISO 3166-1 alpha-2 country code in capitals (e.g. "DE")' };
const oneOf = (values: readonly string[]): ListRule => ({ check: (value) => values.includes(value), expected: `one of ${values.join(', ')}` });

const LISTS: Record<keyof OfferTargeting, ListRule> = {
  countries: COUNTRY,
  excludedCountries: COUNTRY,
  devices: oneOf(TARGET_DEVICES),
  operatingSystems: oneOf(TARGET_OPERATING_SYSTEMS),
  browsers: oneOf(TARGET_BROWSERS),
};

/** What is wrong with a targeting value (naming the list and the entry), or null. */
export function offerTargetingProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of lists (countries, excludedCountries, devices, operatingSystems, browsers)';
  for (const [name, list] of Object.entries(value)) {
    const rule = Object.hasOwn(LISTS, name) ? LISTS[name as keyof OfferTargeting] : undefined;
    if (!rule) return `${name.slice(0, 60)} is not a targeting list (countries, excludedCountries, devices, operatingSystems, browsers)`;
    if (!Array.isArray(list)) return `${name} must be a list`;
    // An empty list of allowed values would refuse every visitor: leave the list out instead.
    if (list.length === 0) return `${name} must name at least one value, or be left out`;
    if (list.length > MOST_VALUES) return `${name} may hold at most ${MOST_VALUES} values`;
    for (const [index, entry] of list.entries()) {
      if (typeof entry !== 'string' || !rule.check(entry)) return `${name}[${index}] must be ${rule.expected}`;
    }
    if (new Set(list).size !== list.length) return `${name} names a value twice`;
  }
  return null;
}

/** The stored targeting (null: the offer takes every visitor) as sets. */
export function compileTargeting(stored: unknown): CompiledTargeting | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const targeting = stored as OfferTargeting;
  const set = (list: readonly string[] | undefined) => (Array.isArray(list) ? new Set(list) : null);
  return {
    countries: set(targeting.countries),
    excludedCountries: set(targeting.excludedCountries),
    devices: set(targeting.devices),
    operatingSystems: set(targeting.operatingSystems),
    browsers: set(targeting.browsers),
  };
}
