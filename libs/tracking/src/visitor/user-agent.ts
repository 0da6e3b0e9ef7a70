import type { TargetBrowser, TargetDevice, TargetOperatingSystem } from '@tracklane/catalog';

/**
 * What a user agent says about the device and whether a person is behind
 * it. Regular expressions over the header, compiled once: a device library
 * would be more precise, but the redirect must not wait for one.
 */
export type Device = TargetDevice;

const TABLET = /ipad|tablet|kindle|silk\/|playbook|android(?!.*mobi)/i;
const MOBILE = /mobi|iphone|ipod|android|blackberry|bb10|opera mini|iemobile|windows phone/i;

export function deviceOf(userAgent: string): Device | null {
  if (userAgent === '') return null;
  if (TABLET.test(userAgent)) return 'tablet';
  if (MOBILE.test(userAgent)) return 'mobile';
  return 'desktop';
}

/**
 * The operating system and browser a user agent names, for offers that
 * target them (only those pay for the reading). Browsers spell these tokens
 * one way, so plain substring tests suffice and cost far less than regular
 * expressions on every targeted click. The order matters: iPadOS and iOS say
 * "like Mac OS X", Chrome OS and Android say "Linux", Edge, Opera and Samsung
 * Internet say "Chrome", and Chrome says "Safari".
 */
const OPERATING_SYSTEMS: ReadonlyArray<[TargetOperatingSystem, readonly string[]]> = [
  ['ios', ['iPhone', 'iPad', 'iPod']],
  ['android', ['Android']],
  ['chromeos', ['CrOS']],
  ['windows', ['Windows']],
  ['macos', ['Macintosh', 'Mac OS X']],
  ['linux', ['Linux', 'X11']],
];
const BROWSERS: ReadonlyArray<[TargetBrowser, readonly string[]]> = [
  ['edge', ['Edg/', 'EdgA/', 'EdgiOS/', 'Edge/']],
  ['opera', ['OPR/', 'OPT/', 'Opera']],
  ['samsung', ['SamsungBrowser/']],
  ['firefox', ['Firefox/', 'FxiOS/']],
  ['chrome', ['Chrome/', 'CriOS/']],
  ['safari', ['Safari/']],
];

/** Where each browser states its version, in the same spellings. */
const MAJOR_VERSION: Record<TargetBrowser, RegExp> = {
  edge: /\bEdg(?:e|A|iOS)?\/(\d+)/,
  opera: /\b(?:OPR|OPT)\/(\d+)/,
  samsung: /SamsungBrowser\/(\d+)/,
  firefox: /\b(?:Firefox|FxiOS)\/(\d+)/,
  chrome: /\b(?:Chrome|CriOS)\/(\d+)/,
  safari: /\bVersion\/(\d+)/,
};

export const majorVersionOf = (userAgent: string, browser: TargetBrowser): string | null => MAJOR_VERSION[browser].exec(userAgent)?.[1] ?? null;

function firstNamed<T>(table: ReadonlyArray<[T, readonly string[]]>, userAgent: string): T | null {
  for (const [name, tokens] of table) {
    for (const token of tokens) if (userAgent.includes(token)) return name;
  }
  return null;
}

export const operatingSystemOf = (userAgent: string): TargetOperatingSystem | null => firstNamed(OPERATING_SYSTEMS, userAgent);
/** Safari only when it says "Version/" too: in-app browsers and crawlers say "Safari/" without being it. */
export const browserOf = (userAgent: string): TargetBrowser | null => {
  const browser = firstNamed(BROWSERS, userAgent);
  return browser === 'safari' && !userAgent.includes('Version/') ? null : browser;
};

/**
 * Crawlers, link-preview fetchers, monitors, HTTP libraries and headless
 * browsers. Matched case-insensitively anywhere in the user agent.
 */
export const KNOWN_BOT_PATTERNS: readonly string[] = [
  'bot',
  'crawl',
  'spider',
  'slurp',
  'facebookexternalhit',
  'facebookcatalog',
  'meta-externalagent',
  'whatsapp',
  'skypeuripreview',
  'embedly',
  'quora link preview',
  'outbrain',
  'vkshare',
  'preview',
  'headlesschrome',
  'phantomjs',
  'puppeteer',
  'playwright',
  'selenium',
  'lighthouse',
  'pingdom',
  'uptime',
  'monitor',
  'curl/',
  'wget/',
  'python-requests',
  'python-urllib',
  'aiohttp',
  'httpx',
  'go-http-client',
  'java/',
  'okhttp',
  'apache-httpclient',
  'libwww-perl',
  'node-fetch',
  'axios/',
  'undici',
  'scrapy',
  'httpclient',
];

const escape = (pattern: string) => pattern.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A bot detector for the built-in list plus the operator's own patterns. */
export function botDetector(extraPatterns: readonly string[] = []): (userAgent: string) => boolean {
  const patterns = [...KNOWN_BOT_PATTERNS, ...extraPatterns.map((pattern) => pattern.trim().toLowerCase())].filter(Boolean);
  const matcher = new RegExp(patterns.map(escape).join('|'), 'i');
  // No user agent at all is a script, not a browser.
  return (userAgent) => userAgent === '' || matcher.test(userAgent);
}
