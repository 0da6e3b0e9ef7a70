import { useId, useState, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { ApiError } from '../api';
import { ErrorNotice } from './feedback';

/** Runs a change against the API: busy while it runs, its error kept to show beside the form. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await action();
    } catch (failure) {
      setError(failure);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** A labelled input; when the API refused this field, its reason is shown under it and announced. */
export function Field({
  label,
  name,
  error,
  hint,
  ...input
}: { label: string; name: string; error?: unknown; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const refused = refusedFields(error, name);
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} aria-invalid={refused.length > 0 || undefined} aria-describedby={hint || refused.length ? `${id}-note` : undefined} {...input} />
      {(hint || refused.length > 0) && (
        <div id={`${id}-note`} className={refused.length ? 'field-error' : 'hint'}>
          {refused.length ? refused.map((entry) => entry.reason).join('; ') : hint}
        </div>
      )}
    </div>
  );
}

/** A labelled choice; like Field, it shows a hint, or the API's reason when it refused this field. */
export function Select({
  label,
  name,
  value,
  options,
  onChange,
  error,
  hint,
}: {
  label: string;
  name: string;
  value: string;
  options: Array<[string, string]>;
  onChange: (value: string) => void;
  error?: unknown;
  hint?: ReactNode;
}) {
  const refused = refusedFields(error, name);
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} value={value} onChange={(event) => onChange(event.target.value)} aria-invalid={refused.length > 0 || undefined} aria-describedby={hint || refused.length ? `${id}-note` : undefined}>
        {options.map(([optionValue, text]) => (
          <option key={optionValue} value={optionValue}>
            {text}
          </option>
        ))}
      </select>
      {(hint || refused.length > 0) && (
        <div id={`${id}-note`} className={refused.length ? 'field-error' : 'hint'}>
          {refused.length ? refused.map((entry) => entry.reason).join('; ') : hint}
        </div>
      )}
    </div>
  );
}

/** A labelled text box for many values (one a line); like Field, it shows a hint, or the API's reason when it refused this field. */
export function TextArea({
  label,
  name,
  error,
  hint,
  ...textarea
}: { label: string; name: string; error?: unknown; hint?: ReactNode } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const refused = refusedFields(error, name);
  const id = useId();
  return (
    <div className="field wide">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={name} aria-invalid={refused.length > 0 || undefined} aria-describedby={hint || refused.length ? `${id}-note` : undefined} {...textarea} />
      {(hint || refused.length > 0) && (
        <div id={`${id}-note`} className={refused.length ? 'field-error' : 'hint'}>
          {refused.length ? refused.map((entry) => entry.reason).join('; ') : hint}
        </div>
      )}
    </div>
  );
}

/** A group of checkboxes for a list of values; the API's reason is shown under the group when it refused the list. */
export function Choices({
  legend,
  name,
  values,
  chosen,
  onChange,
  error,
}: {
  legend: string;
  name: string;
  values: readonly string[];
  chosen: readonly string[];
  onChange: (chosen: string[]) => void;
  error?: unknown;
}) {
  const refused = refusedFields(error, name);
  const id = useId();
  return (
    <fieldset className="choices" aria-invalid={refused.length > 0 || undefined} aria-describedby={refused.length ? `${id}-note` : undefined}>
      <legend>{legend}</legend>
      {values.map((value) => (
        <label key={value} className="check">
          <input
            type="checkbox"
            name={name}
            value={value}
            checked={chosen.includes(value)}
            onChange={(event) => onChange(event.target.checked ? [...chosen, value] : chosen.filter((entry) => entry !== value))}
          />{' '}
          {value}
        </label>
      ))}
      {refused.length > 0 && (
        <div id={`${id}-note`} className="field-error">
          {refused.map((entry) => entry.reason).join('; ')}
        </div>
      )}
    </fieldset>
  );
}

/** What the API refused of one field (or of the fields inside it). */
function refusedFields(error: unknown, name: string): Array<{ field: string; reason: string }> {
  return error instanceof ApiError ? error.fieldErrors.filter((entry) => entry.field === name || entry.field.startsWith(`${name}.`)) : [];
}

/** A form that creates something: its fields, a submit button, and the API's answer when it refused. */
export function CreateForm({ title, busy, error, onSubmit, children, submitLabel = 'Create' }: { title: string; busy: boolean; error: unknown; onSubmit: () => void; children: ReactNode; submitLabel?: string }) {
  return (
    <details className="create">
      <summary>{title}</summary>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        {children}
        <button type="submit" disabled={busy}>
          {submitLabel}
        </button>
        <ErrorNotice error={error} />
      </form>
    </details>
  );
}

/** A number field's value for the API: null when left empty. */
export function optionalNumber(value: string): number | null {
  return value.trim() === '' ? null : Number(value);
}
