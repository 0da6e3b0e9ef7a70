import { MappingDocument } from '../mapping-document';

/** A well-known partner's postback format, selectable by name ("preset": "keitaro") and overridable field by field. */
export interface PartnerPreset {
  name: string;
  title: string;
  /** Where the format comes from: the vendor's own documentation. */
  sources: string[];
  /**
   * What the partner is told to call. {base} is postback-ingest's public URL and
   * {token} the advertiser's postback token; everything else is the partner's
   * own macro syntax, as its documentation spells it.
   */
  request: { method: 'GET' | 'POST'; url: string; body?: string };
  /** How a later status or refund reaches us in this format. */
  statusChanges: string;
  mapping: Omit<MappingDocument, 'preset'>;
}

const SUB_IDS = (names: string[]): Record<string, string> =>
  Object.fromEntries(names.map((name, index) => [name, `adv_sub${index + 1}`]));

/**
 * The catalogue. Affiliate platforms and trackers (TUNE … RedTrack): the
 * parameters their own postback endpoint documents, so an advertiser already
 * integrated with them can point the same call at Tracklane. Mobile
 * measurement partners (AppsFlyer … Kochava): the template a network gives
 * them, written with their macros. Webhooks (Shopify, Stripe): their JSON
 * bodies, read by path.
 */
export const PRESETS: readonly PartnerPreset[] = [
  {
    name: 'tune',
    title: 'TUNE (HasOffers) advertiser postback',
    sources: [
      'https://support.tune.com/hc/en-us/articles/4413247665431-Receiving-Conversions-via-Postback-URL',
      'https://support.tune.com/hc/en-us/articles/4413247716631-Passing-a-Postback-ID-to-an-Advertiser',
    ],
    request: {
      method: 'GET',
      url: '{base}/postback?security_token={token}&transaction_id=TRANSACTION_ID&amount=AMOUNT&adv_sub=ORDER_ID&goal_id=GOAL_ID&currency=CURRENCY',
    },
    statusChanges: "TUNE's postback has no status (TUNE changes statuses through its API): send the same call with &status=rejected or refunded",
    mapping: {
      params: { transaction_id: 'click_id', amount: 'amount', adv_sub: 'order_id', goal_id: 'goal', currency: 'currency' },
      // One conversion per transaction id, as TUNE counts unless an offer allows several.
      identity: { '*': 'click_id' },
    },
  },
  {
    name: 'everflow',
    title: 'Everflow advertiser (S2S) postback',
    sources: [
      'https://helpdesk.everflow.io/customer/accessing-editing-s2s-postback-urls',
      'https://helpdesk.everflow.io/en/articles/6279436-getting-started-advertiser-server-postbacks',
    ],
    request: {
      method: 'GET',
      url: '{base}/postback?token={token}&transaction_id={transaction_id}&adv_event_id=EVENT&amount=AMOUNT&order_id=ORDER_ID&adv1=&adv2=&adv3=&adv4=&adv5=',
    },
    statusChanges: "Everflow's advertiser postback has no status: send the same call with &status=rejected or refunded",
    mapping: {
      params: {
        transaction_id: 'click_id',
        amount: 'amount',
        order_id: 'order_id',
        adv_event_id: 'goal',
        ...SUB_IDS(['adv1', 'adv2', 'adv3', 'adv4', 'adv5']),
      },
      identity: { '*': 'click_id' },
    },
  },
  {
    name: 'cake',
    title: 'CAKE server postback (conversion pixel parameters)',
    sources: [
      'https://support.getcake.com/support/solutions/articles/5000546059-how-to-implement-server-to-server-tracking-using-a-postback-url',
      'https://support.getcake.com/support/solutions/articles/5000546124-conversion-pixel-variables',
    ],
    request: {
      method: 'GET',
      url: '{base}/postback?token={token}&o=OFFER_ID&e=EVENT_ID&f=pb&r=REQUEST_ID&t=TRANSACTION_ID&p=PRICE',
    },
    statusChanges: "CAKE updates conversions through its API, not the pixel: send the same call with &status=rejected or refunded",
    mapping: {
      // r: the request (click) id passed to the advertiser; t: the advertiser's transaction id; p: the price; e: the event.
      params: { r: 'click_id', t: 'order_id', p: 'amount', e: 'goal' },
      identity: { '*': 'click_id' },
    },
  },
  {
    name: 'voluum',
    title: 'Voluum postback URL',
    sources: [
      'https://doc.voluum.com/en/tracking_conversions_postback.html',
      'https://doc.voluum.com/article/parameters-in-postback-urls',
    ],
    request: {
      method: 'GET',
      url: '{base}/postback?token={token}&cid=CLICK_ID&payout=PAYOUT&txid=TRANSACTION_ID&currency=CURRENCY&et=CONVERSION_TYPE&param1=&param2=&param3=&param4=&param5=',
    },
    statusChanges: 'Voluum distinguishes conversions by type (et), not status: send the same call with &status=rejected or refunded',
    mapping: {
      params: {
        cid: 'click_id',
        payout: 'amount',
        txid: 'order_id',
        currency: 'currency',
        et: 'goal',
        ...SUB_IDS(['param1', 'param2', 'param3', 'param4', 'param5']),
      },
      identity: { '*': 'click_id' },
    },
  },
  {
    name: 'binom',
    title: 'Binom postback URL (click.php)',
    sources: ['https://docs.binom.org/postback-url.php', 'https://docs.binom.org/payout-tracking-v2.php'],
    request: {
      method: 'GET',
      url: '{base}/postback?token={token}&cnv_id={clickid}&payout={payout}&cnv_status={status}&cnv_currency={currency}',
    },
    statusChanges: 'cnv_status=reject (or refund) for the same cnv_id changes the conversion; Binom itself updates a conversion by click id the same way',
    mapping: {
      params: { cnv_id: 'click_id', payout: 'amount', cnv_status: 'status', cnv_currency: 'currency' },
      values: {
        status: {
          approve: 'approved',
          approved: 'approved',
          sale: 'approved',
          hold: 'pending',
          pending: 'pending',
          lead: 'pending',
          reject: 'rejected',
          rejected: 'rejected',
          decline: 'rejected',
          cancel: 'rejected',
          refund: 'refunded',
          chargeback: 'refunded',
        },
      },
      identity: { '*': 'click_id' },
    },
  },
  {
    name: 'keitaro',
    title: 'Keitaro postback',
    sources: ['https://docs.keitaro.io/en/conversions/postback.html', 'https://docs.keitaro.io/en/postbacks/postbacks.html'],
    request: {
      method: 'GET',
      url: '{base}/postback?token={token}&subid={subid}&status={status}&payout={payout}&tid={tid}&currency={currency}',
    },
    statusChanges: 'status=lead, then sale or rejected, for the same subid: the same conversion moves lead → sale → rejected, as in Keitaro',
    mapping: {
      params: {
        subid: 'click_id',
        tid: 'order_id',
        payout: 'amount',
        status: 'status',
        currency: 'currency',
        ...SUB_IDS(['sub_id_1', 'sub_id_2', 'sub_id_3', 'sub_id_4', 'sub_id_5']),
      },
      values: { status: { lead: 'pending', sale: 'approved', rejected: 'rejected', rebill: 'approved' } },
      // Keitaro: "status (default is sale)".
      transforms: { status: { default: 'approved' } },
      identity: { '*': 'click_id' },
    },
  },
  {
    name: 'redtrack',
    title: 'RedTrack postback',
    sources: [
      'https://redtrack.zendesk.com/hc/en-us/articles/213573065-Postbacks-and-pixels',
      'https://help.redtrack.io/knowledgebase/kb/conversion-tracking/tracking-event-types/',
    ],
    request: {
      method: 'GET',
      url: '{base}/postback?token={token}&clickid={clickid}&sum={payout}&status={status}&type={event}&currency={currency}&rdtk_event_id={order_id}',
    },
    statusChanges: 'status=Declined (or Approved after Pending) for the same clickid changes the conversion',
    mapping: {
      params: { clickid: 'click_id', sum: 'amount', status: 'status', type: 'goal', currency: 'currency', rdtk_event_id: 'order_id' },
      // RedTrack's four statuses; "Other" is what it records when none is sent.
      values: { status: { approved: 'approved', pending: 'pending', declined: 'rejected', other: 'pending' } },
      identity: { '*': 'click_id' },
    },
  },
  {
    name: 'appsflyer',
    title: 'AppsFlyer postback to an ad network',
    sources: [
      'https://support.appsflyer.com/hc/en-us/articles/207273946-Postback-macros-for-Ad-Networks-',
      'https://support.appsflyer.com/hc/en-us/articles/360016751637-Postback-macros-for-analytics-partners',
    ],
    request: {
      method: 'GET',
      url: '{base}/postback?token={token}&clickid=(clickid)&event_name=(event_name)&event_revenue=(event_revenue)&event_revenue_currency=(event_revenue_currency)',
    },
    statusChanges: 'AppsFlyer sends no reversals in postbacks: refunds and Protect360 rejections are sent with &status=refunded or rejected',
    mapping: {
      params: { clickid: 'click_id', event_name: 'goal', event_revenue: 'amount', event_revenue_currency: 'currency' },
      // An install postback names no event; one install per click, in-app events as often as they happen.
      transforms: { goal: { default: 'install' } },
      identity: { install: 'click_id' },
    },
  },
  {
    name: 'adjust',
    title: 'Adjust callback (install and event)',
    sources: [
      'https://help.adjust.com/en/article/event-callbacks',
      'https://help.adjust.com/en/article/ad-revenue-callbacks',
      'https://help.adjust.com/en/article/raw-data-exports',
    ],
    request: {
      method: 'GET',
      url: '{base}/postback?token={token}&label={label}&activity_kind={activity_kind}&event_name={event_name}&revenue={revenue}&currency={currency}',
    },
    statusChanges: 'Adjust callbacks carry no reversals: refunds and rejections are sent with &status=refunded or rejected',
    mapping: {
      // The tracker URL's label parameter carries the click id, and {label} returns it.
      params: { label: 'click_id', event_name: 'goal', revenue: 'amount', currency: 'currency' },
      // {revenue} is "in cents" whatever the currency ({revenue_float} would be whole units).
      transforms: { amount: { scale: 2 }, goal: { default: 'install' } },
      identity: { install: 'click_id' },
    },
  },
  {
    name: 'branch',
    title: 'Branch postback / webhook',
    sources: [
      'https://help.branch.io/using-branch/docs/postback-macros-functions',
      'https://help.branch.io/using-branch/docs/advanced-postback-configuration',
    ],
    request: {
      method: 'GET',
      url:
        '{base}/postback?token={token}&click_id=${(last_attributed_touch_data.~click_id)!}&event=${(name)!}' +
        '&revenue=${(event_data.revenue)!}&currency=${(event_data.currency)!}&order_id=${(event_data.transaction_id)!}',
    },
    statusChanges: 'Branch sends no reversals in postbacks: refunds are sent with &status=refunded',
    mapping: {
      params: { click_id: 'click_id', event: 'goal', revenue: 'amount', currency: 'currency', order_id: 'order_id' },
      // Branch names events in upper case (INSTALL, PURCHASE).
      transforms: { goal: { default: 'install', case: 'lower' } },
      identity: { install: 'click_id' },
    },
  },
  {
    name: 'singular',
    title: 'Singular postback to an ad network',
    sources: [
      'https://support.singular.net/hc/en-us/articles/115004063323-Postback-Macros-and-Passthrough-Parameters-for-Ad-Networks',
      'https://support.singular.net/hc/en-us/articles/115000598546-Configuring-Event-Postbacks',
    ],
    request: {
      method: 'GET',
      url: '{base}/postback?token={token}&cl_id={cl?NetworkName}&event={EVTNAME}&amount={AMOUNT}&currency={CURRENCY}',
    },
    statusChanges: 'Singular sends no reversals in postbacks: refunds are sent with &status=refunded',
    mapping: {
      // {cl?NetworkName}: the click id the network put in the tracking link's cl parameter.
      params: { cl_id: 'click_id', event: 'goal', amount: 'amount', currency: 'currency' },
      transforms: { goal: { default: 'install' } },
      identity: { install: 'click_id' },
    },
  },
  {
    name: 'kochava',
    title: 'Kochava partner postback',
    sources: [
      'https://support.kochava.com/articles/campaign-management/630-create-a-custom-postback',
      'http://support.kochava.com/campaign-management/create-a-custom-postback',
    ],
    request: {
      method: 'GET',
      url: '{base}/postback?token={token}&click_id={click_id}&event_name={event_name}&revenue={revenue}&currency={currency}',
    },
    statusChanges: 'Kochava sends no reversals in postbacks: refunds are sent with &status=refunded',
    mapping: {
      params: { click_id: 'click_id', event_name: 'goal', revenue: 'amount', currency: 'currency' },
      // Kochava names installs "_install".
      values: { goal: { _install: 'install' } },
      transforms: { goal: { default: 'install' } },
      identity: { install: 'click_id' },
    },
  },
  {
    name: 'shopify',
    title: 'Shopify-style order webhook (orders/create, orders/updated)',
    sources: ['https://shopify.dev/docs/api/admin-rest/latest/resources/webhook', 'https://shopify.dev/docs/api/admin-rest/latest/resources/order'],
    request: {
      method: 'POST',
      url: '{base}/postback?token={token}',
      body: '{"id": 820982911946154500, "subtotal_price": "199.00", "currency": "USD", "financial_status": "paid", "note_attributes": [{"name": "click_id", "value": "…"}], …}',
    },
    statusChanges: 'orders/updated with financial_status refunded or voided refunds or rejects the order',
    mapping: {
      // The storefront stores the click id as a cart attribute, which orders carry as note_attributes.
      params: {
        'note_attributes.click_id': 'click_id',
        id: 'order_id',
        subtotal_price: 'amount',
        currency: 'currency',
        financial_status: 'status',
      },
      values: {
        status: {
          paid: 'approved',
          partially_refunded: 'approved',
          pending: 'pending',
          authorized: 'pending',
          partially_paid: 'pending',
          refunded: 'refunded',
          voided: 'rejected',
        },
      },
      // An order carries hundreds of fields Tracklane has no use for.
      unmapped: 'ignore',
    },
  },
  {
    name: 'stripe',
    title: 'Stripe-style event webhook (charge.succeeded, charge.refunded)',
    sources: ['https://docs.stripe.com/api/events/object', 'https://docs.stripe.com/currencies', 'https://docs.stripe.com/api/charges/object'],
    request: {
      method: 'POST',
      url: '{base}/postback?token={token}',
      body: '{"id": "evt_…", "type": "charge.succeeded", "data": {"object": {"id": "ch_…", "amount": 1999, "currency": "usd", "metadata": {"click_id": "…"}, …}}}',
    },
    statusChanges: 'charge.refunded for the same charge refunds it; charge.failed rejects it',
    mapping: {
      // The checkout puts the click id into the charge's metadata.
      params: {
        'data.object.metadata.click_id': 'click_id',
        'data.object.id': 'order_id',
        'data.object.amount': 'amount',
        'data.object.currency': 'currency',
        type: 'status',
      },
      values: {
        status: { 'charge.succeeded': 'approved', 'charge.pending': 'pending', 'charge.failed': 'rejected', 'charge.refunded': 'refunded' },
      },
      // Amounts in the currency's smallest unit; Stripe counts ISK in hundredths and MGA in whole units, unlike ISO 4217.
      transforms: { amount: { scale: 'currency', exponents: { ISK: 2, MGA: 0 } } },
      unmapped: 'ignore',
    },
  },
];

export const PARTNER_PRESETS: ReadonlyMap<string, PartnerPreset> = new Map(PRESETS.map((preset) => [preset.name, preset]));
