/**
 * The macros click-ingest fills in an offer's destination (and fallback)
 * URL, each under its own name and the other names it answers to. The one
 * list: click-ingest substitutes by it and the management API validates
 * offers by it, so a URL the API accepts is a URL click-ingest fills.
 */
export const DESTINATION_MACRO_ALIASES = {
  click_id: ['transaction_id'],
  offer_id: [],
  aff_id: ['affiliate_id'],
  advertiser_id: [],
  sub1: ['aff_sub', 'aff_sub1'],
  sub2: ['aff_sub2'],
  sub3: ['aff_sub3'],
  sub4: ['aff_sub4'],
  sub5: ['aff_sub5'],
  source: ['source_id'],
  aff_click_id: [],
  timestamp: [],
} as const satisfies Record<string, readonly string[]>;

export type DestinationMacro = keyof typeof DESTINATION_MACRO_ALIASES;

const MACRO_BY_NAME: ReadonlyMap<string, DestinationMacro> = new Map(
  (Object.entries(DESTINATION_MACRO_ALIASES) as [DestinationMacro, readonly string[]][]).flatMap(([macro, aliases]) =>
    [macro, ...aliases].map((name) => [name, macro] as const),
  ),
);

/** Every name a destination URL may use in braces, macros first. */
export const DESTINATION_MACRO_NAMES: readonly string[] = [...MACRO_BY_NAME.keys()];

/** The macro a name in braces stands for (any case), if click-ingest knows it. */
export function destinationMacroOf(name: string): DestinationMacro | undefined {
  return MACRO_BY_NAME.get(name.toLowerCase());
}

/** The names that carry the click id, which the advertiser must store to send it back in its postback. */
export const CLICK_ID_MACRO_NAMES: readonly string[] = ['click_id', ...DESTINATION_MACRO_ALIASES.click_id];

/**
 * Whether a destination URL template hands the click id to the advertiser:
 * without it, no postback can ever name the click, so no conversion can be
 * attributed.
 */
export function carriesClickId(template: string): boolean {
  for (const [, name] of template.matchAll(/\{([A-Za-z0-9_]+)\}/g)) if (destinationMacroOf(name) === 'click_id') return true;
  return false;
}
