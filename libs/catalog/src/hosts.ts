/**
 * The lower-case host name of an http(s) URL (no port, no user info), or null. Destination templates
 * never hold a macro in their host, so an offer's destination has one too.
 */
export function hostOf(url: string): string | null {
  return /^https?:\/\/(?:[^/?#@]*@)?([^/?#:@]+)/i.exec(url)?.[1]?.toLowerCase() ?? null;
}
