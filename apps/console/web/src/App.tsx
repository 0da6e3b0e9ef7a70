import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { answer, ApiError, management } from './api';
import { ErrorNotice, Loading } from './components/feedback';
import { pageFor, pagesFor } from './pages';
import { navigate, useLocation } from './router';
import { forgetKey, storedKey, storeKey, type Principal } from './session';

/** Signs in with an API key (kept in session storage only), then shows the pages the key's role may use. */
export function App() {
  const [principal, setPrincipal] = useState<Principal | null>(null);
  const [checking, setChecking] = useState(() => storedKey() !== null);
  const [error, setError] = useState<unknown>(undefined);

  const signIn = useCallback(async (key: string) => {
    storeKey(key);
    setError(undefined);
    try {
      setPrincipal(answer(await management.GET('/v1/me')) as Principal);
    } catch (failure) {
      forgetKey();
      setPrincipal(null);
      setError(failure instanceof ApiError && failure.status === 401 ? new Error('This API key is not valid (unknown, revoked or mistyped).') : failure);
    } finally {
      setChecking(false);
    }
  }, []);

  useEffect(() => {
    const key = storedKey();
    if (key) void signIn(key);
  }, [signIn]);

  const signOut = () => {
    forgetKey();
    setPrincipal(null);
    navigate('/');
  };

  if (checking) return <Loading what="your session" />;
  if (!principal) return <SignIn onSignIn={signIn} error={error} />;
  return <Shell principal={principal} onSignOut={signOut} />;
}

function SignIn({ onSignIn, error }: { onSignIn: (key: string) => Promise<void>; error: unknown }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <main className="sign-in">
      <h1>Tracklane</h1>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          await onSignIn(key.trim());
          setBusy(false);
        }}
      >
        <label htmlFor="api-key">API key</label>
        <input id="api-key" name="api-key" type="password" autoComplete="off" required value={key} onChange={(event) => setKey(event.target.value)} />
        <p className="hint">An admin, advertiser or affiliate key. It stays in this tab only and is forgotten when you sign out or close it.</p>
        <button type="submit" disabled={busy || !key.trim()}>
          Sign in
        </button>
        <ErrorNotice error={error} />
      </form>
    </main>
  );
}

function Shell({ principal, onSignOut }: { principal: Principal; onSignOut: () => void }) {
  const { path } = useLocation();
  const pages = pagesFor(principal.role);
  const page = pageFor(principal.role, path);
  const [menuOpen, setMenuOpen] = useState(false);
  const who = principal.role === 'admin' ? 'Network admin' : principal.role === 'advertiser' ? `Advertiser ${principal.advertiserId}` : `Affiliate ${principal.affiliateId}`;

  return (
    <div className="shell">
      <header className="top">
        <button type="button" className="menu-toggle secondary" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <strong className="brand">Tracklane</strong>
        <span className="who" data-testid="who">
          {who}
          {principal.readOnly ? ' (read-only)' : ''}
        </span>
        <button type="button" className="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <nav id="main-nav" aria-label="Main" className={menuOpen ? 'open' : undefined}>
        <ul>
          {pages.map((candidate) => (
            <li key={candidate.path}>
              <NavLink to={candidate.path} current={candidate.path === page.path} onNavigate={() => setMenuOpen(false)}>
                {candidate.title}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="content">
        <h1>{page.title}</h1>
        <page.component principal={principal} />
      </main>
    </div>
  );
}

function NavLink({ to, current, children, onNavigate }: { to: string; current: boolean; children: ReactNode; onNavigate: () => void }) {
  return (
    <a
      href={to}
      aria-current={current ? 'page' : undefined}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        onNavigate();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
