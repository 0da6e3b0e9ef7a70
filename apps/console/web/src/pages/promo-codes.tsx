import { useId, useState } from 'react';
import type { ManagementComponents } from '@tracklane/api-client';
import { answer, ApiError, management } from '../api';
import { ErrorNotice, Loading } from '../components/feedback';
import { CreateForm, Field, optionalNumber, useAction } from '../components/forms';
import { Table, when } from '../components/table';
import { useLoad } from '../hooks';
import { codeLines, refusedLines, type CodeLine, type RefusedLine } from '../promo-code-lines';
import type { PageProps } from './index';

type PromoCode = ManagementComponents['schemas']['CouponCodeResponse'];

const PAGE_SIZE = 200;

/**
 * Promo codes: a code an affiliate hands out stands in for its click. An
 * admin gives an affiliate codes and deletes them; an affiliate sees its own,
 * an advertiser those of its offers (the API decides which).
 */
export function PromoCodesPage({ principal }: PageProps) {
  const [filters, setFilters] = useState({ affiliate_id: '', offer_id: '', code: '' });
  // The `after` cursor of every page before this one: "Previous page" drops the last.
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors.at(-1);
  const query = {
    limit: PAGE_SIZE,
    ...(after ? { after } : {}),
    ...(filters.affiliate_id ? { affiliate_id: Number(filters.affiliate_id) } : {}),
    ...(filters.offer_id ? { offer_id: Number(filters.offer_id) } : {}),
    ...(filters.code.trim() ? { code: filters.code.trim() } : {}),
  };
  const codes = useLoad(async () => answer(await management.GET('/v1/coupon-codes', { params: { query } })), JSON.stringify(query));
  const remove = useAction();
  const canEdit = principal.role === 'admin' && !principal.readOnly;
  const filter = (name: keyof typeof filters) => (event: { target: { value: string } }) => {
    setFilters({ ...filters, [name]: event.target.value });
    setCursors([]);
  };
  const first = cursors.length * PAGE_SIZE + 1;
  const nextCursor = codes.data?.nextCursor;

  return (
    <section>
      {canEdit && <CreatePromoCodes onCreated={codes.reload} />}
      <div className="toolbar">
        {principal.role !== 'affiliate' && <Field label="Affiliate" name="affiliate_id" type="number" min={1} value={filters.affiliate_id} onChange={filter('affiliate_id')} error={codes.error} />}
        <Field label="Offer" name="offer_id" type="number" min={1} value={filters.offer_id} onChange={filter('offer_id')} error={codes.error} />
        <Field label="Code" name="code" value={filters.code} onChange={filter('code')} error={codes.error} hint="the whole code, in any case" />
      </div>
      <ErrorNotice error={codes.error ?? remove.error} />
      {!codes.data && codes.loading && <Loading what="promo codes" />}
      {codes.data && (
        <>
          <Table<PromoCode>
            caption="Promo codes"
            rows={codes.data.data}
            rowKey={(code) => String(code.id)}
            empty={filters.affiliate_id || filters.offer_id || filters.code ? 'No promo code matches.' : 'No promo codes yet.'}
            columns={[
              { key: 'code', label: 'Code', render: (code) => <code>{code.code}</code> },
              { key: 'affiliateId', label: 'Affiliate', numeric: true },
              { key: 'offerId', label: 'Offer', render: (code) => (code.offerId === null ? 'network-wide' : String(code.offerId)) },
              { key: 'createdAt', label: 'Created', render: (code) => when(code.createdAt) },
              ...(canEdit
                ? [
                    {
                      key: 'delete',
                      label: '',
                      render: (code: PromoCode) => (
                        <button
                          type="button"
                          className="secondary"
                          disabled={remove.busy}
                          onClick={() =>
                            window.confirm(`Delete the code "${code.code}"? Postbacks that carry it are no longer attributed to affiliate ${code.affiliateId}; conversions booked with it stay.`) &&
                            remove.run(async () => {
                              answer(await management.DELETE('/v1/coupon-codes/{couponId}', { params: { path: { couponId: code.id } } }));
                              codes.reload();
                            })
                          }
                        >
                          Delete
                        </button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          {(cursors.length > 0 || nextCursor) && (
            <div className="pager">
              <button type="button" className="secondary" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
                Previous page
              </button>
              <span>
                {first}–{first + codes.data.data.length - 1}
              </span>
              <button type="button" className="secondary" disabled={!nextCursor} onClick={() => nextCursor && setCursors([...cursors, nextCursor])}>
                Next page
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** One code is created alone; several in one all-or-nothing request, whose refusals are shown on the lines they name. */
function CreatePromoCodes({ onCreated }: { onCreated: () => void }) {
  const [form, setForm] = useState({ affiliateId: '', offerId: '', codes: '' });
  // The lines as sent: the API names codes by their place in that request, whatever was typed since.
  const [sent, setSent] = useState<CodeLine[]>([]);
  const [created, setCreated] = useState<PromoCode[]>([]);
  const create = useAction();
  const refused = create.error instanceof ApiError ? refusedLines(sent, create.error.fieldErrors) : [];

  return (
    <>
      <CreateForm
        title="Give an affiliate promo codes"
        busy={create.busy}
        error={create.error}
        onSubmit={() => {
          const lines = codeLines(form.codes);
          setSent(lines);
          setCreated([]);
          return create.run(async () => {
            const scope = { affiliateId: Number(form.affiliateId), offerId: optionalNumber(form.offerId) };
            const made =
              lines.length === 1
                ? [answer(await management.POST('/v1/coupon-codes', { body: { ...scope, code: lines[0].code } }))]
                : answer(await management.POST('/v1/coupon-codes/bulk', { body: { ...scope, codes: lines.map((line) => line.code) } }));
            setCreated(made);
            setForm({ ...form, codes: '' });
            onCreated();
          });
        }}
      >
        <Field label="Affiliate id" name="affiliateId" type="number" required min={1} value={form.affiliateId} onChange={(event) => setForm({ ...form, affiliateId: event.target.value })} error={create.error} />
        <Field
          label="Offer id (empty: network-wide)"
          name="offerId"
          type="number"
          min={1}
          value={form.offerId}
          onChange={(event) => setForm({ ...form, offerId: event.target.value })}
          error={create.error}
          hint="Network-wide: the posting advertiser's only offer the affiliate may run."
        />
        <CodesField value={form.codes} onChange={(codes) => setForm({ ...form, codes })} refused={refused} />
      </CreateForm>
      {created.length > 0 && (
        <p className="notice success" role="status">
          Created {created.length === 1 ? 'the code' : `${created.length} codes`}: {created.map((code) => code.code).join(', ')}
        </p>
      )}
    </>
  );
}

/** The codes, one a line; what the API refused is shown under it by line and reason. */
function CodesField({ value, onChange, refused }: { value: string; onChange: (value: string) => void; refused: RefusedLine[] }) {
  const id = useId();
  return (
    <div className="field wide">
      <label htmlFor={id}>Codes, one a line</label>
      <textarea
        id={id}
        name="codes"
        rows={5}
        required
        spellCheck={false}
        autoCapitalize="off"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={refused.length > 0 || undefined}
        aria-describedby={`${id}-note`}
      />
      <div id={`${id}-note`} className={refused.length ? 'field-error' : 'hint'}>
        {refused.length ? (
          <ul data-testid="refused-lines">
            {refused.map((entry) => (
              <li key={`${entry.line ?? ''}${entry.reason}`}>
                {entry.line !== undefined && (
                  <>
                    Line {entry.line} (<code>{entry.code}</code>):{' '}
                  </>
                )}
                {entry.reason}
              </li>
            ))}
          </ul>
        ) : (
          'Up to 1000, each 1 to 64 characters without spaces. Codes match regardless of case: SAVE10 and save10 are one code. Several codes are created all or none.'
        )}
      </div>
    </div>
  );
}
