import type { ManagementComponents } from '@tracklane/api-client';

export type Targeting = NonNullable<ManagementComponents['schemas']['UpdateOfferDto']['targeting']>;
type ChoiceList = 'devices' | 'operatingSystems' | 'browsers';

/** The values each list of choices takes (the API's enums); countries are typed as codes. */
export const TARGETING_CHOICES: { [List in ChoiceList]: NonNullable<Targeting[List]> } = {
  devices: ['mobile', 'tablet', 'desktop'],
  operatingSystems: ['android', 'ios', 'windows', 'macos', 'linux', 'chromeos'],
  browsers: ['chrome', 'safari', 'firefox', 'edge', 'opera', 'samsung'],
};

/** The editor's state: country codes as typed, the other lists as the choices ticked. */
export interface TargetingForm {
  countries: string;
  excludedCountries: string;
  devices: string[];
  operatingSystems: string[];
  browsers: string[];
}

export function targetingForm(targeting: Targeting | null | undefined): TargetingForm {
  return {
    countries: (targeting?.countries ?? []).join(', '),
    excludedCountries: (targeting?.excludedCountries ?? []).join(', '),
    devices: [...(targeting?.devices ?? [])],
    operatingSystems: [...(targeting?.operatingSystems ?? [])],
    browsers: [...(targeting?.browsers ?? [])],
  };
}

/**
 * The targeting to send: each list that names something (an empty list would
 * refuse every visitor, so it is left out), country codes in capitals as the
 * API takes them; null when nothing restricts, for an offer that takes every visitor.
 */
export function targetingOf(form: TargetingForm): Targeting | null {
  const codes = (text: string) =>
    text
      .split(/[\s,;]+/)
      .map((code) => code.trim().toUpperCase())
      .filter((code) => code !== '');
  const targeting: Targeting = {};
  const countries = codes(form.countries);
  const excludedCountries = codes(form.excludedCountries);
  if (countries.length) targeting.countries = countries;
  if (excludedCountries.length) targeting.excludedCountries = excludedCountries;
  // Kept in the API's order, whatever order they were ticked in.
  for (const list of ['devices', 'operatingSystems', 'browsers'] as const) {
    const ticked = TARGETING_CHOICES[list].filter((value) => form[list].includes(value));
    if (ticked.length) (targeting as Record<ChoiceList, string[]>)[list] = ticked;
  }
  return Object.keys(targeting).length ? targeting : null;
}

const LIST_NAMED = /^(countries|excludedCountries|devices|operatingSystems|browsers)(?:\[(\d+)\])? (.*)$/;

/**
 * The API names the whole `targeting` field and, in its reason, the list and
 * the entry ("countries[1] must be …"): each refusal is put on its
 * list's input (`targeting.countries`), naming the value as typed.
 */
export function targetingRefusals(errors: Array<{ field: string; reason: string }>, sent: Targeting | null): Array<{ field: string; reason: string }> {
  return errors.map((error) => {
    const named = error.field === 'targeting' ? LIST_NAMED.exec(error.reason) : null;
    if (!named) return error;
    const [, list, index, rest] = named;
    const value = index === undefined ? undefined : (sent?.[list as keyof Targeting] as string[] | undefined)?.[Number(index)];
    return { field: `targeting.${list}`, reason: value === undefined ? rest : `"${value}" ${rest}` };
  });
}

/** The targeting in a few words, for the offers table. */
export function describeTargeting(targeting: Targeting | null | undefined): string {
  if (!targeting) return 'every visitor';
  const parts = [
    targeting.countries && `countries ${targeting.countries.join(', ')}`,
    targeting.excludedCountries && `not ${targeting.excludedCountries.join(', ')}`,
    targeting.devices && targeting.devices.join(', '),
    targeting.operatingSystems && targeting.operatingSystems.join(', '),
    targeting.browsers && targeting.browsers.join(', '),
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'every visitor';
}
