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
