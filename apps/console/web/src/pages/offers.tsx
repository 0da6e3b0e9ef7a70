import { useState } from 'react';
import type { ManagementComponents } from '@tracklane/api-client';
import { answer, ApiError, management } from '../api';
import { ErrorNotice, Loading } from '../components/feedback';
import { Choices, CreateForm, Field, optionalNumber, Select, useAction } from '../components/forms';
import { Table, when } from '../components/table';
import { useLoad } from '../hooks';
import { describeTargeting, TARGETING_CHOICES, targetingForm, targetingOf, targetingRefusals } from '../offer-targeting';
import { moneyRule } from '../report-query';
import type { PageProps } from './index';

type Offer = ManagementComponents['schemas']['OfferResponse'];
type Goal = ManagementComponents['schemas']['GoalResponse'];
type MoneyRule = ManagementComponents['schemas']['MoneyRuleDto'];
type OfferPatch = ManagementComponents['schemas']['UpdateOfferDto'];
type CouponPrecedence = NonNullable<OfferPatch['couponPrecedence']>;

/** The macros a destination URL may use (management checks them; an unknown one is refused by name). */
const MACROS = ['{click_id}', '{offer_id}', '{aff_id}', '{sub1}', '{sub2}', '{sub3}', '{sub4}', '{sub5}', '{source}', '{aff_click_id}'];

/** Whose a conversion is when its postback carries both a click id and a promo code of the offer. */
const COUPON_PRECEDENCE: Array<[CouponPrecedence, string]> = [
  ['click', "the click's affiliate; the code only when the click cannot be found"],
  ['coupon', "the code's affiliate"],
];

export function OffersPage({ principal }: PageProps) {
  const [status, setStatus] = useState('');
  const offers = useLoad(async () => answer(await management.GET('/v1/offers', { params: { query: { limit: 200, ...(status ? { status: status as Offer['status'] } : {}) } } })).data, status);
  const change = useAction();
  const canEdit = principal.role === 'admin' && !principal.readOnly;

  const update = (offer: Offer, patch: OfferPatch) =>
    change.run(async () => {
      answer(await management.PATCH('/v1/offers/{offerId}', { params: { path: { offerId: offer.id } }, body: patch }));
      offers.reload();
    });

  return (
    <section>
      {canEdit && <CreateOffer onCreated={offers.reload} />}
      <div className="toolbar">
        <Select label="Status" name="offer-status" value={status} onChange={setStatus} options={[['', 'any'], ['active', 'active'], ['paused', 'paused'], ['expired', 'expired'], ['archived', 'archived']]} />
      </div>
      <ErrorNotice error={offers.error ?? change.error} />
      {!offers.data && offers.loading && <Loading what="offers" />}
      {offers.data && (
        <Table
          caption="Offers"
          rows={offers.data}
          rowKey={(offer) => String(offer.id)}
          empty="No offers yet."
          columns={[
            { key: 'id', label: 'Id', numeric: true },
            { key: 'name', label: 'Name' },
            { key: 'status', label: 'Status', render: (offer) => <span className={`badge ${offer.status}`}>{offer.status}</span> },
            ...(principal.role === 'affiliate' ? [{ key: 'approvalStatus', label: 'Your standing' }] : [{ key: 'advertiserId', label: 'Advertiser', numeric: true }]),
            { key: 'currency', label: 'Currency' },
            { key: 'dailyCap', label: 'Daily cap', numeric: true },
            { key: 'visibility', label: 'Visibility' },
            { key: 'updatedAt', label: 'Updated', render: (offer) => when(offer.updatedAt) },
          ]}
          details={{
            label: 'Goals and actions',
            toggle: (offer) => (
              <>
                Goals{canEdit ? ' and actions' : ''}
                <span className="visually-hidden"> of offer {offer.id} · {offer.name}</span>
              </>
            ),
            render: (offer) => (
              <>
                {offer.destinationUrl && (
                  <p className="wrap">
                    Destination: <code>{offer.destinationUrl}</code>
                  </p>
                )}
                <Goals offer={offer} canEdit={canEdit} />
                {canEdit ? (
                  <TargetingEditor offer={offer} offers={offers.data ?? []} onSaved={offers.reload} />
                ) : (
                  <p>
                    Takes: <span data-testid="targeting">{describeTargeting(offer.targeting)}</span>
                  </p>
                )}
                {canEdit && (
                  <Select
                    label="A postback with both a click and a promo code goes to"
                    name={`couponPrecedence-${offer.id}`}
                    value={offer.couponPrecedence ?? 'click'}
                    options={COUPON_PRECEDENCE}
                    onChange={(value) => update(offer, { couponPrecedence: value as CouponPrecedence })}
                  />
                )}
                {canEdit && offer.status === 'active' && (
                  <button type="button" className="secondary" disabled={change.busy} onClick={() => update(offer, { status: 'paused' })}>
                    Pause offer
                  </button>
                )}
                {canEdit && offer.status === 'paused' && (
                  <button type="button" className="secondary" disabled={change.busy} onClick={() => update(offer, { status: 'active' })}>
                    Activate offer
                  </button>
                )}
              </>
            ),
          }}
        />
      )}
    </section>
  );
}

function CreateOffer({ onCreated }: { onCreated: () => void }) {
  const advertisers = useLoad(async () => answer(await management.GET('/v1/advertisers', { params: { query: { limit: 200, status: 'active' } } })).data, 'advertisers');
  const [form, setForm] = useState({ advertiserId: '', name: '', destinationUrl: 'https://', fallbackUrl: '', currency: 'USD', visibility: 'approval_required', dailyCap: '', monthlyCap: '', attributionDays: '30' });
  const create = useAction();
  const set = (name: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value });
  const missingClickId = form.destinationUrl.length > 8 && !/\{(click_id|transaction_id)\}/.test(form.destinationUrl);
  const advertiserOptions: Array<[string, string]> = [['', 'choose…'], ...(advertisers.data ?? []).map((advertiser): [string, string] => [String(advertiser.id), `${advertiser.id} · ${advertiser.name}`])];

  return (
    <CreateForm
      title="New offer"
      busy={create.busy}
      error={create.error}
      onSubmit={() =>
        create.run(async () => {
          answer(
            await management.POST('/v1/offers', {
              body: {
                advertiserId: Number(form.advertiserId),
                name: form.name,
                destinationUrl: form.destinationUrl,
                fallbackUrl: form.fallbackUrl || undefined,
                currency: form.currency,
                visibility: form.visibility as Offer['visibility'],
                dailyCap: optionalNumber(form.dailyCap),
                monthlyCap: optionalNumber(form.monthlyCap),
                attributionWindowSeconds: Number(form.attributionDays) * 86_400,
              },
            }),
          );
          onCreated();
        })
      }
    >
      <Select label="Advertiser" name="advertiserId" value={form.advertiserId} options={advertiserOptions} onChange={(value) => setForm({ ...form, advertiserId: value })} />
      <Field label="Name" name="name" required value={form.name} onChange={set('name')} error={create.error} />
      <Field
        label="Destination URL"
        name="destinationUrl"
        required
        value={form.destinationUrl}
        onChange={set('destinationUrl')}
        error={create.error}
        hint={
          <>
            Macros: {MACROS.map((macro) => <code key={macro}>{macro} </code>)}
          </>
        }
      />
      {missingClickId && (
        <p className="notice warning" role="alert">
          This URL has no <code>{'{click_id}'}</code>: the advertiser will not get the click id, and its postbacks cannot be attributed.
        </p>
      )}
      <Field label="Fallback URL (where clicks the offer cannot take go)" name="fallbackUrl" value={form.fallbackUrl} onChange={set('fallbackUrl')} error={create.error} />
      <Field label="Currency" name="currency" value={form.currency} onChange={set('currency')} error={create.error} maxLength={3} />
      <Select label="Visibility" name="visibility" value={form.visibility} onChange={(value) => setForm({ ...form, visibility: value })} options={[['approval_required', 'approved affiliates only'], ['public', 'any active affiliate']]} />
      <Field label="Daily cap (conversions; empty: none)" name="dailyCap" type="number" min={0} value={form.dailyCap} onChange={set('dailyCap')} error={create.error} />
      <Field label="Monthly cap" name="monthlyCap" type="number" min={0} value={form.monthlyCap} onChange={set('monthlyCap')} error={create.error} />
      <Field label="Attribution window (days)" name="attributionWindowSeconds" type="number" min={1} value={form.attributionDays} onChange={set('attributionDays')} error={create.error} />
    </CreateForm>
  );
}

function Goals({ offer, canEdit }: { offer: Offer; canEdit: boolean }) {
  const goals = useLoad(async () => answer(await management.GET('/v1/offers/{offerId}/goals', { params: { path: { offerId: offer.id } } })), String(offer.id));
  const [form, setForm] = useState({ code: '', name: '', revenueType: 'fixed', revenue: '', payoutType: 'fixed', payout: '' });
  const create = useAction();
  const rule = (type: string, value: string): MoneyRule => (type === 'percent' ? { type: 'percent', percent: value } : { type: 'fixed', amount: value });

  return (
    <div className="goals">
      <ErrorNotice error={goals.error} />
      {goals.data && (
        <Table<Goal>
          caption={`Goals of offer ${offer.id}`}
          rows={goals.data}
          rowKey={(goal) => String(goal.id)}
          empty="No goals yet: postbacks count for a default goal once one exists."
          columns={[
            { key: 'code', label: 'Code' },
            { key: 'name', label: 'Name' },
            { key: 'revenue', label: 'Revenue', render: (goal) => moneyRule(goal.revenue, offer.currency) },
            { key: 'payout', label: 'Payout', render: (goal) => moneyRule(goal.payout, offer.currency) },
            { key: 'isDefault', label: 'Default', render: (goal) => (goal.isDefault ? 'yes' : '') },
          ]}
        />
      )}
      {canEdit && (
        <CreateForm
          title="New goal"
          busy={create.busy}
          error={create.error}
          onSubmit={() =>
            create.run(async () => {
              answer(
                await management.POST('/v1/offers/{offerId}/goals', {
                  params: { path: { offerId: offer.id } },
                  body: { code: form.code, name: form.name, revenue: rule(form.revenueType, form.revenue), payout: rule(form.payoutType, form.payout) },
                }),
              );
              goals.reload();
            })
          }
        >
          <Field label="Code (what postbacks send as goal=)" name="code" required value={form.code} onChange={(event) => setForm({ ...form, code: event.target.value })} error={create.error} />
          <Field label="Name" name="name" required value={form.name} onChange={(event) => setForm({ ...form, name: event.target.value })} error={create.error} />
          <Select label="Revenue is" name={`revenueType-${offer.id}`} value={form.revenueType} onChange={(value) => setForm({ ...form, revenueType: value })} options={[['fixed', 'a fixed amount'], ['percent', 'a percentage of the sale']]} />
          <Field label="Revenue" name="revenue" required inputMode="decimal" value={form.revenue} onChange={(event) => setForm({ ...form, revenue: event.target.value })} error={create.error} />
          <Select label="Payout is" name={`payoutType-${offer.id}`} value={form.payoutType} onChange={(value) => setForm({ ...form, payoutType: value })} options={[['fixed', 'a fixed amount'], ['percent', 'a percentage of the sale']]} />
          <Field label="Payout" name="payout" required inputMode="decimal" value={form.payout} onChange={(event) => setForm({ ...form, payout: event.target.value })} error={create.error} />
        </CreateForm>
      )}
    </div>
  );
}

/**
 * Which visitors an offer takes, and where the others go: another offer that
 * takes them (one step, as its own clicks) or, with none, the fallback.
 * A refusal is shown on the list it names.
 */
function TargetingEditor({ offer, offers, onSaved }: { offer: Offer; offers: Offer[]; onSaved: () => void }) {
  const [form, setForm] = useState(() => targetingForm(offer.targeting));
  const [alternative, setAlternative] = useState(offer.alternativeOfferId ? String(offer.alternativeOfferId) : '');
  const [saved, setSaved] = useState(false);
  const save = useAction();
  const others: Array<[string, string]> = offers.filter((other) => other.id !== offer.id && other.status !== 'archived').map((other) => [String(other.id), `${other.id} · ${other.name}`]);

  return (
    <form
      className="targeting"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        const targeting = targetingOf(form);
        void save.run(async () => {
          try {
            const changed = answer(
              await management.PATCH('/v1/offers/{offerId}', { params: { path: { offerId: offer.id } }, body: { targeting, alternativeOfferId: alternative ? Number(alternative) : null } }),
            );
            setForm(targetingForm(changed.targeting));
            setSaved(true);
            onSaved();
          } catch (failure) {
            if (!(failure instanceof ApiError) || !failure.problem) throw failure;
            throw new ApiError(failure.status, { ...failure.problem, errors: targetingRefusals(failure.fieldErrors, targeting) });
          }
        });
      }}
    >
      <h3>Targeting</h3>
      <p className="hint">Lists left empty do not restrict. A visitor of unknown country or device does not match a list of allowed ones.</p>
      <Field
        label="Countries it takes"
        name="targeting.countries"
        value={form.countries}
        placeholder="DE, AT"
        onChange={(event) => setForm({ ...form, countries: event.target.value })}
        error={save.error}
        hint="ISO 3166-1 alpha-2 codes, separated by commas or spaces."
      />
      <Field label="Countries it never takes" name="targeting.excludedCountries" value={form.excludedCountries} placeholder="RU" onChange={(event) => setForm({ ...form, excludedCountries: event.target.value })} error={save.error} />
      <Choices legend="Devices" name="targeting.devices" values={TARGETING_CHOICES.devices} chosen={form.devices} onChange={(devices) => setForm({ ...form, devices })} error={save.error} />
      <Choices legend="Operating systems" name="targeting.operatingSystems" values={TARGETING_CHOICES.operatingSystems} chosen={form.operatingSystems} onChange={(operatingSystems) => setForm({ ...form, operatingSystems })} error={save.error} />
      <Choices legend="Browsers" name="targeting.browsers" values={TARGETING_CHOICES.browsers} chosen={form.browsers} onChange={(browsers) => setForm({ ...form, browsers })} error={save.error} />
      <Select
        label="Visitors it does not take go to"
        name="alternativeOfferId"
        value={alternative}
        options={[['', 'the fallback URL'], ...others]}
        onChange={setAlternative}
        error={save.error}
        hint="Another offer takes them as its own clicks when it is live, the affiliate may run it and they match its targeting; otherwise they go to the fallback (targeting_mismatch)."
      />
      <button type="submit" disabled={save.busy}>
        Save targeting
      </button>
      <ErrorNotice error={save.error} />
      {saved && (
        <p className="notice success" role="status">
          Saved: takes {describeTargeting(targetingOf(form))}.
        </p>
      )}
    </form>
  );
}
