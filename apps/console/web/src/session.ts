/**
 * The signed-in API key, kept in this tab's session storage only: it is gone
 * when the tab closes, never written to local storage or a cookie.
 */
const KEY = 'tracklane.apiKey';

export type Role = 'admin' | 'advertiser' | 'affiliate';

/** Who the key belongs to, as management's /v1/me says. */
export interface Principal {
  keyId: number;
  role: Role;
  advertiserId: number | null;
  affiliateId: number | null;
  readOnly: boolean;
}

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeKey(key: string): void {
  sessionStorage.setItem(KEY, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY);
}
