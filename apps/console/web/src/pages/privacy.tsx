import { useState } from 'react';
import type { ManagementComponents } from '@tracklane/api-client';
import { answer, management } from '../api';
import { ErrorNotice, Loading } from '../components/feedback';
import { CreateForm, Field, optionalNumber, Select, useAction } from '../components/forms';
import { when } from '../components/table';
import { useLoad } from '../hooks';
import type { PageProps } from './index';

type NetworkSettings = ManagementComponents['schemas']['NetworkSettingsResponse'];
type Erasure = ManagementComponents['schemas']['ErasureResponse'];
type EraseBody = ManagementComponents['schemas']['EraseVisitorDataDto'];

const RETENTIONS = [
  { name: 'clickRetentionDays', label: 'Clicks kept (days)', hint: 'At least the longest attribution window of an offer; a conversion of a click no longer kept is click_expired.' },
  { name: 'receiptRetentionDays', label: 'Postback receipts kept (days)', hint: 'At least 30; past it a refund of an older order is no longer applied. Keep it above your advertisers’ refund period. Default: for ever.' },
  { name: 'postbackLogRetentionDays', label: 'Inbound postback log kept (days)', hint: 'The log of every postback received, with its parameters.' },
  { name: 'rawReportRetentionMonths', label: 'Raw report rows kept (months)', hint: 'Raw clicks and attribution events of reports; rollups and conversions are kept whatever is set, so reports stay exact.' },
] as const;

type RetentionName = (typeof RETENTIONS)[number]['name'];

/**
 * Privacy: how the network stores visitor data, how long it keeps each kind,
 * and erasing one visitor's data. Admins only; a read-only key sees the
 * settings without changing them.
 */
export function PrivacyPage({ principal }: PageProps) {
  const settings = useLoad(async () => answer(await management.GET('/v1/network-settings')), 'network-settings');
  return (
    <section>
      <h2>Visitor data</h2>
      <ErrorNotice error={settings.error} />
      {!settings.data && settings.loading && <Loading what="network settings" />}
      {settings.data && <SettingsForm settings={settings.data} readOnly={principal.readOnly} />}
      {!principal.readOnly && <EraseVisitor />}
    </section>
  );
}

/** The form's values: every field as typed, a retention left empty for the service's default. */
function formOf(settings: NetworkSettings) {
  return {
    visitorIpStorage: settings.visitorIpStorage as string,
    userAgentStorage: settings.userAgentStorage as string,
    ...(Object.fromEntries(RETENTIONS.map(({ name }) => [name, settings[name] === null ? '' : String(settings[name])])) as Record<RetentionName, string>),
  };
}

function SettingsForm({ settings, readOnly }: { settings: NetworkSettings; readOnly: boolean }) {
  const [form, setForm] = useState(() => formOf(settings));
  const [savedAt, setSavedAt] = useState<string>();
  const save = useAction();

  return (
    <form
      className="settings"
      onSubmit={(event) => {
        event.preventDefault();
        setSavedAt(undefined);
        void save.run(async () => {
          const saved = answer(
            await management.PATCH('/v1/network-settings', {
              body: {
                visitorIpStorage: form.visitorIpStorage as NetworkSettings['visitorIpStorage'],
                userAgentStorage: form.userAgentStorage as NetworkSettings['userAgentStorage'],
                ...(Object.fromEntries(RETENTIONS.map(({ name }) => [name, optionalNumber(form[name])])) as Record<RetentionName, number | null>),
              },
            }),
          );
          setForm(formOf(saved));
          setSavedAt(saved.updatedAt);
        });
      }}
    >
      <fieldset disabled={readOnly}>
        <legend>How new clicks store a visitor</legend>
        <Select
          label="Visitor IP"
          name="visitorIpStorage"
          value={form.visitorIpStorage}
          onChange={(value) => setForm({ ...form, visitorIpStorage: value })}
          options={[['full', 'full'], ['truncated', 'truncated (/24, /48)'], ['hashed', 'hashed']]}
          error={save.error}
          hint="Uniqueness, rate limits and bot flags still use the full address; clicks stored earlier keep theirs."
        />
        <Select
          label="User agent"
          name="userAgentStorage"
          value={form.userAgentStorage}
          onChange={(value) => setForm({ ...form, userAgentStorage: value })}
          options={[['full', 'full'], ['normalised', 'normalised ("chrome/131 android mobile")']]}
          error={save.error}
        />
      </fieldset>
      <fieldset disabled={readOnly}>
        <legend>How long it is kept (empty: the service’s default)</legend>
        {RETENTIONS.map(({ name, label, hint }) => (
          <Field key={name} label={label} name={name} type="number" min={1} value={form[name]} onChange={(event) => setForm({ ...form, [name]: event.target.value })} error={save.error} hint={hint} />
        ))}
      </fieldset>
      {!readOnly && (
        <button type="submit" disabled={save.busy}>
          Save
        </button>
      )}
      <ErrorNotice error={save.error} />
      {savedAt && (
        <p className="notice success" role="status">
          Saved at {when(savedAt)}.
        </p>
      )}
      {readOnly && <p className="muted">This key is read-only: it shows the settings but cannot change them or erase a visitor’s data.</p>}
    </form>
  );
}

type EraseBy = 'click' | 'order' | 'subId';

/** Erases one visitor's data, found one of three ways, after a confirmation; then says how many rows changed. */
function EraseVisitor() {
  const [by, setBy] = useState<EraseBy>('click');
  const [form, setForm] = useState({ clickId: '', advertiserId: '', orderId: '', affiliateId: '', subId: '' });
  const [erased, setErased] = useState<Erasure>();
  const erase = useAction();
  const input = (name: keyof typeof form) => ({ name, value: form[name], error: erase.error, onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }) });
  const body: EraseBody =
    by === 'click'
      ? { clickId: form.clickId.trim() }
      : by === 'order'
        ? { advertiserId: Number(form.advertiserId), orderId: form.orderId.trim() }
        : { affiliateId: Number(form.affiliateId), subId: form.subId.trim() };
  const whose = by === 'click' ? `click ${body.clickId}` : by === 'order' ? `the clicks of advertiser ${body.advertiserId}'s order ${body.orderId}` : `every click of affiliate ${body.affiliateId} with sub id "${body.subId}" (the sub id itself becomes "(erased)")`;

  return (
    <>
      <h2>Erase a visitor’s data</h2>
      <CreateForm
        title="Erase a visitor’s IP, user agent, referrer and parameters"
        submitLabel="Erase"
        busy={erase.busy}
        error={erase.error}
        onSubmit={() => {
          if (!window.confirm(`Erase the visitor data of ${whose}? This cannot be undone; ids, sub ids and money stay.`)) return;
          setErased(undefined);
          void erase.run(async () => setErased(answer(await management.POST('/v1/erasures', { body }))));
        }}
      >
        <Select
          label="Find the visitor by"
          name="by"
          value={by}
          onChange={(value) => setBy(value as EraseBy)}
          options={[['click', 'click id'], ['order', 'advertiser’s order id'], ['subId', 'affiliate’s id for the visitor']]}
        />
        {by === 'click' && <Field label="Click id" required {...input('clickId')} />}
        {by === 'order' && (
          <>
            <Field label="Advertiser id" type="number" required min={1} {...input('advertiserId')} />
            <Field label="Order id" required {...input('orderId')} />
          </>
        )}
        {by === 'subId' && (
          <>
            <Field label="Affiliate id" type="number" required min={1} {...input('affiliateId')} />
            <Field label="Sub id or aff_click_id" required {...input('subId')} hint="Every click of that affiliate carrying it in sub1–sub5 or aff_click_id." />
          </>
        )}
      </CreateForm>
      {erased && <ErasureCounts erasure={erased} />}
      <p className="muted">Kafka keeps its events until their retention ends. Every erasure is audited (a sub id is not written to the audit log).</p>
    </>
  );
}

function ErasureCounts({ erasure }: { erasure: Erasure }) {
  const counts: Array<[string, number]> = [
    ['Clicks found', erasure.clickIds.length],
    ['Click rows changed', erasure.clicks],
    ['Report click rows changed', erasure.reportClicks],
    ['Inbound postbacks changed', erasure.inboundPostbacks],
    ['Conversions whose raw parameters were emptied', erasure.conversions],
    ['Rows whose sub id became "(erased)"', erasure.subIdRows],
  ];
  return (
    <div className="notice success" role="status">
      <p>Erased.</p>
      <dl className="counts" data-testid="erasure-counts">
        {counts.map(([what, count]) => (
          <div key={what}>
            <dt>{what}</dt>
            <dd>{count}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
