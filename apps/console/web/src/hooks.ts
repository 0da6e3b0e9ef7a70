import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads what `load` fetches whenever `key` changes (and on reload). With
 * `refreshMs`, loads again that often while the tab is visible, never
 * starting a request while the previous one is still on its way.
 */
export function useLoad<T>(load: () => Promise<T>, key: string, refreshMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean; key?: string }>({ loading: true });
  const [round, setRound] = useState(0);
  const inFlight = useRef(false);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let current = true;
    const run = async (quiet: boolean) => {
      if (inFlight.current && quiet) return;
      inFlight.current = true;
      if (!quiet) setState((previous) => ({ ...previous, loading: true }));
      try {
        const data = await loadRef.current();
        if (current) setState({ data, loading: false, key });
      } catch (error) {
        if (current) setState((previous) => ({ data: previous.key === key ? previous.data : undefined, error, loading: false, key }));
      } finally {
        inFlight.current = false;
      }
    };
    void run(false);
    const timer = refreshMs ? window.setInterval(() => document.visibilityState === 'visible' && void run(true), refreshMs) : undefined;
    return () => {
      current = false;
      if (timer !== undefined) window.clearInterval(timer);
    };
  }, [key, round, refreshMs]);

  const reload = useCallback(() => setRound((value) => value + 1), []);
  return { data: state.key === key ? state.data : undefined, error: state.error, loading: state.loading, reload };
}
