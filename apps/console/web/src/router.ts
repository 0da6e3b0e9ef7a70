import { useSyncExternalStore } from 'react';

/**
 * A small router over the browser's history: the path picks the page, the
 * query holds the page's state (filters, period, paging), so every view can be
 * shared by its address and the back button works.
 */
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const snapshot = () => location.pathname + location.search;

export function useLocation(): { path: string; search: string } {
  const current = useSyncExternalStore(subscribe, snapshot);
  const at = current.indexOf('?');
  return at < 0 ? { path: current, search: '' } : { path: current.slice(0, at), search: current.slice(at) };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((listener) => listener());
}
