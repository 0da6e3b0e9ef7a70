import { PARTNER_PRESETS, type PartnerPreset } from '@tracklane/partner-formats';

/** A partner preset's call as the advertiser's platform is told to make it: our base URL and its token filled in, the partner's own macros left. */
export interface PresetPostbackRequest {
  name: string;
  title: string;
  method: 'GET' | 'POST';
  url: string;
  body: string | null;
  statusChanges: string;
  sources: string[];
}

/** The preset an advertiser's mapping names, as the call its platform makes; null without one (or with one unknown). */
export function presetPostbackRequest(paramMapping: unknown, postbackIngestUrl: string, token: string): PresetPostbackRequest | null {
  const name = (paramMapping as { preset?: unknown } | null)?.preset;
  const preset = typeof name === 'string' ? PARTNER_PRESETS.get(name) : undefined;
  if (!preset) return null;
  const fill = (template: string) => template.replaceAll('{base}', postbackIngestUrl).replaceAll('{token}', encodeURIComponent(token));
  return {
    name: preset.name,
    title: preset.title,
    method: preset.request.method,
    url: fill(preset.request.url),
    body: preset.request.body === undefined ? null : fill(preset.request.body),
    statusChanges: preset.statusChanges,
    sources: preset.sources,
  };
}

/** Every partner preset by name and title, for choosing one. */
export function partnerPresets(): Array<Pick<PartnerPreset, 'name' | 'title' | 'sources' | 'statusChanges'>> {
  return [...PARTNER_PRESETS.values()].map(({ name, title, sources, statusChanges }) => ({ name, title, sources, statusChanges }));
}

/** The postback URL an advertiser's server calls, with our parameter names and their placeholders. */
export function advertiserPostbackUrl(postbackIngestUrl: string, token: string): string {
  return (
    `${postbackIngestUrl}/postback?click_id={click_id}&token=${encodeURIComponent(token)}` +
    '&goal={goal}&amount={amount}&currency={currency}&order_id={order_id}&status={status}'
  );
}

/** What each placeholder of the template stands for, for the advertiser's developers. */
export const ADVERTISER_POSTBACK_PARAMETERS: Record<string, string> = {
  click_id: 'The click id Tracklane added to your landing page URL (required; aliases: transaction_id, clickid, cid, subid)',
  token: "Your network's postback token (required; or the X-Tracklane-Token header)",
  goal: "The goal's code, e.g. sale; leave it out for the offer's default goal",
  amount: 'Sale amount as a decimal with at most 4 places, for percentage revenue and payout',
  currency: 'ISO 4217 code of amount, e.g. USD',
  order_id: 'Your order or transaction id: a repeated postback with the same order and goal counts once',
  status: 'approved, pending, rejected or refunded; leave it out for the goal default',
};
