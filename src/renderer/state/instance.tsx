/**
 * The instance this page belongs to: its API client, its live store and the stream that feeds it, shared
 * by every page through context. Created once per token; a refused token goes back to the token screen.
 */
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { ApiClient } from '../api/client';
import { StreamClient } from '../api/stream';
import { LiveStore } from './live-store';

export interface InstanceContextValue {
  client: ApiClient;
  store: LiveStore;
  /** Call when any request answers 401: the token is no longer valid. */
  reportUnauthorized(): void;
}

const InstanceContext = createContext<InstanceContextValue | null>(null);

export function useInstance(): InstanceContextValue {
  const value = useContext(InstanceContext);
  if (!value) throw new Error('useInstance outside <InstanceProvider>');
  return value;
}

export function InstanceProvider({ token, onUnauthorized, children }: { token: string; onUnauthorized: () => void; children: ReactNode }) {
  const value = useMemo<InstanceContextValue>(
    () => ({ client: new ApiClient('', token), store: new LiveStore(), reportUnauthorized: onUnauthorized }),
    [token, onUnauthorized],
  );

  useEffect(() => {
    const stream = new StreamClient({ url: value.client.streamUrl(window.location), store: value.store });
    stream.start();
    const wake = () => {
      if (document.visibilityState === 'visible') stream.retryNow();
    };
    window.addEventListener('online', wake);
    document.addEventListener('visibilitychange', wake);
    const off = value.store.subscribe(() => {
      if (value.store.connection.state === 'unauthorized') value.reportUnauthorized();
    });
    return () => {
      off();
      window.removeEventListener('online', wake);
      document.removeEventListener('visibilitychange', wake);
      stream.stop();
    };
  }, [value]);

  return <InstanceContext.Provider value={value}>{children}</InstanceContext.Provider>;
}
