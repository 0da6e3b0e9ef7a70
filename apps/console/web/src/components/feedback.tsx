import { useState, type ReactNode } from 'react';
import { ApiError } from '../api';

/** An API error as the API put it: title, detail and each refused field with its reason. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const fields = error instanceof ApiError ? error.fieldErrors : [];
  return (
    <div className="notice error" role="alert">
      <p>{message}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map(({ field, reason }) => (
            <li key={field + reason}>
              <code>{field}</code>: {reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** Copies a value to the clipboard, and says so. */
export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="secondary"
      onClick={async () => {
        await navigator.clipboard?.writeText(value).catch(() => undefined);
        setCopied(true);
        window.setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? 'Copied' : label}
    </button>
  );
}

/** A credential the API shows once (a new key, token or signing secret): shown with a copy button and a warning. */
export function ShownOnce({ label, value }: { label: string; value: string }) {
  return (
    <div className="notice success" role="status">
      <p>
        <strong>{label}</strong> — shown this once; store it now.
      </p>
      <p className="secret">
        <code data-testid="shown-once">{value}</code> <CopyButton value={value} />
      </p>
    </div>
  );
}
