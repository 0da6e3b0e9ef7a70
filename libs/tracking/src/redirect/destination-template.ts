import type { ClickV1 } from '@tracklane/contracts';
import { DestinationMacro, destinationMacroOf } from './destination-macros';

/**
 * Offer destination (and fallback) URLs carry macros in braces:
 *
 *   https://shop.example/land?cid={click_id}&pub={aff_id}&s1={sub1}
 *
 * Each macro becomes the click's value, URL-encoded, so nothing from the
 * request can add parameters, change the host or break the header; a macro
 * we do not know becomes empty. Literal text of the template comes from the
 * operator and is kept, except that anything a Location header cannot carry
 * (spaces, control characters, non-ASCII) is percent-encoded.
 */
type MacroValue = (click: ClickV1, nowMs: number) => string | number | null;

const MACROS: Record<DestinationMacro, MacroValue> = {
  click_id: (click) => click.clickId,
  offer_id: (click) => click.offerId,
  aff_id: (click) => click.affiliateId,
  advertiser_id: (click) => click.advertiserId,
  sub1: (click) => click.sub1,
  sub2: (click) => click.sub2,
  sub3: (click) => click.sub3,
  sub4: (click) => click.sub4,
  sub5: (click) => click.sub5,
  source: (click) => click.source,
  aff_click_id: (click) => click.affClickId,
  /** Unix time in seconds, as most advertiser platforms expect. */
  timestamp: (_click, nowMs) => Math.floor(nowMs / 1000),
};

const MACRO = /\{([A-Za-z0-9_]+)\}/g;
const NOT_HEADER_SAFE = /[^\x21-\x7e]+/g;

/** Percent-encodes what a header value must not hold; lone surrogates become U+FFFD. */
function headerSafe(text: string): string {
  return text.replace(NOT_HEADER_SAFE, (run) =>
    Array.from(Buffer.from(run, 'utf8'), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

function encodeValue(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(Buffer.from(value, 'utf8').toString('utf8'));
  }
}

export type DestinationTemplate = (click: ClickV1, nowMs: number) => string;

export function compileTemplate(template: string): DestinationTemplate {
  const literals: string[] = [];
  const macros: (MacroValue | null)[] = [];
  let last = 0;
  for (const match of template.matchAll(MACRO)) {
    literals.push(headerSafe(template.slice(last, match.index)));
    const macro = destinationMacroOf(match[1]);
    macros.push(macro ? MACROS[macro] : null);
    last = match.index + match[0].length;
  }
  literals.push(headerSafe(template.slice(last)));

  if (macros.length === 0) {
    const fixed = literals[0];
    return () => fixed;
  }
  return (click, nowMs) => {
    let url = literals[0];
    for (let i = 0; i < macros.length; i++) {
      const macro = macros[i];
      if (macro) url += encodeValue(macro(click, nowMs));
      url += literals[i + 1];
    }
    return url;
  };
}

const CACHE_LIMIT = 10_000;

/** Compiles each distinct template once; catalogue reloads hand the same strings back. */
export class DestinationTemplates {
  private readonly compiled = new Map<string, DestinationTemplate>();

  render(template: string, click: ClickV1, nowMs: number): string {
    let render = this.compiled.get(template);
    if (!render) {
      if (this.compiled.size >= CACHE_LIMIT) this.compiled.clear();
      render = compileTemplate(template);
      this.compiled.set(template, render);
    }
    return render(click, nowMs);
  }
}
