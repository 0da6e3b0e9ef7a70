/**
 * What a user agent says about the device and whether a person is behind
 * it. Regular expressions over the header, compiled once: a device library
 * would be more precise, but the redirect must not wait for one.
 */
export type Device = 'mobile' | 'tablet' | 'desktop';

const TABLET = /ipad|tablet|kindle|silk\/|playbook|android(?!.*mobi)/i;
const MOBILE = /mobi|iphone|ipod|android|blackberry|bb10|opera mini|iemobile|windows phone/i;

export function deviceOf(userAgent: string): Device | null {
  if (userAgent === '') return null;
  if (TABLET.test(userAgent)) return 'tablet';
  if (MOBILE.test(userAgent)) return 'mobile';
  return 'desktop';
}

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
