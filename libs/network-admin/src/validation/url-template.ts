import { ValidationOptions } from 'class-validator';
import { POSTBACK_MACRO_NAMES } from '@tracklane/dispatch';
import { DESTINATION_MACRO_NAMES } from '@tracklane/tracking';
import { checkedBy } from './checked';

/** Macros (and their aliases) click-ingest substitutes in an offer's destination (and fallback) URL: its own list. */
export const DESTINATION_MACROS = DESTINATION_MACRO_NAMES;

/** Macros postback-dispatch substitutes in an affiliate's postback URL (its own list). Revenue is never one of them. */
export const AFFILIATE_POSTBACK_MACROS = POSTBACK_MACRO_NAMES;

export interface UrlTemplateRules {
  macros: readonly string[];
  /** Postback receivers may use basic auth in the URL; a browser redirect must not carry credentials. */
  allowCredentials?: boolean;
}

const MACRO = /\{([^{}]*)\}/g;
const MAX_LENGTH = 2048;

/** The template with every macro filled in, as a URL parser can read it. */
export function concreteUrl(template: string): string {
  return template.replace(MACRO, 'x');
}

/** Why a URL template is unacceptable, or null when it is fine. */
export function urlTemplateProblem(template: unknown, rules: UrlTemplateRules): string | null {
  if (typeof template !== 'string') return 'must be a string';
  if (template.length > MAX_LENGTH) return `must be at most ${MAX_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f]/.test(template)) return 'must not contain spaces or control characters';
  for (const [, name] of template.matchAll(MACRO)) {
    if (!rules.macros.includes(name)) {
      return `uses the unknown macro {${name}}; known macros are ${rules.macros.map((macro) => `{${macro}}`).join(', ')}`;
    }
  }
  const concrete = concreteUrl(template);
  if (/[{}]/.test(concrete)) return 'has a "{" or "}" that does not belong to a macro';
  if (!/^https?:\/\//i.test(template)) return 'must be an absolute http:// or https:// URL';
  // Whoever controls a macro's value (the affiliate's sub ids) must never choose where the request goes.
  const authority = template.replace(/^https?:\/\//i, '').split(/[/?#]/, 1)[0];
  if (authority.includes('{')) return 'must not use macros in the host or port';
  let url: URL;
  try {
    url = new URL(concrete);
  } catch {
    return 'must be an absolute http:// or https:// URL';
  }
  if (!url.hostname) return 'must name a host';
  if (!rules.allowCredentials && (url.username || url.password)) return 'must not contain a user name or password';
  return null;
}

export const IsDestinationUrl = (options?: ValidationOptions) =>
  checkedBy('isDestinationUrl', (value) => urlTemplateProblem(value, { macros: DESTINATION_MACROS }), options);

export const IsAffiliatePostbackUrl = (options?: ValidationOptions) =>
  checkedBy(
    'isAffiliatePostbackUrl',
    (value) => urlTemplateProblem(value, { macros: AFFILIATE_POSTBACK_MACROS, allowCredentials: true }),
    options,
  );
