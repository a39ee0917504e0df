/** The shell: token first, then the instance, the top bar, what is wrong, and the page the hash names. */
import { useCallback, useEffect, useState } from 'react';
import { StatusBanner } from './components/StatusBanner';
import { TokenScreen } from './components/TokenScreen';
import { TopBar } from './components/TopBar';
import { pageFromHash, pageTitle, type PageId } from './lib/routes';
import { forgetToken, resolveToken, storeToken } from './lib/token';
import { Battery } from './pages/Battery';
import { Connections } from './pages/Connections';
import { Control } from './pages/Control';
import { Events } from './pages/Events';
import { Inverter } from './pages/Inverter';
import { Overview } from './pages/Overview';
import { Statistics } from './pages/Statistics';
import { InstanceProvider } from './state/instance';
import { ThemeProvider } from './state/theme';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Read once, before the first render: the token leaves the address bar at once. */
function bootToken(): string | null {
  const boot = resolveToken(window.location.hash, storage());
  if (boot.fromFragment) window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${boot.remainingHash}`);
  return boot.token;
}

const PAGES: Record<PageId, () => React.JSX.Element> = {
  overview: Overview,
  inverter: Inverter,
  battery: Battery,
  statistics: Statistics,
  control: Control,
  events: Events,
  connections: Connections,
};

function usePage(): PageId {
  const [page, setPage] = useState(() => pageFromHash(window.location.hash));
  useEffect(() => {
    const onHash = () => {
      // A link with a new token (pasted into the address bar of an open page) replaces the old one.
      if (/token=/.test(window.location.hash)) window.location.reload();
      setPage(pageFromHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    document.title = `${pageTitle(page)} · voltmon`;
  }, [page]);
  return page;
}

export function App() {
  const [token, setToken] = useState<string | null>(bootToken);
  const [refused, setRefused] = useState(false);
  const page = usePage();
  const kiosk = new URLSearchParams(window.location.search).get('kiosk') === '1';

  const onUnauthorized = useCallback(() => {
    forgetToken(storage());
    setRefused(true);
    setToken(null);
  }, []);

  const Page = PAGES[page];
  return (
    <ThemeProvider>
      {token === null ? (
        <TokenScreen
          refused={refused}
          onToken={(t) => {
            storeToken(storage(), t);
            setRefused(false);
            setToken(t);
          }}
        />
      ) : (
        <InstanceProvider token={token} onUnauthorized={onUnauthorized}>
          <div className={kiosk ? 'kiosk' : undefined}>
            <TopBar page={page} />
            <StatusBanner />
            <main>
              <Page key={page} />
            </main>
          </div>
        </InstanceProvider>
      )}
    </ThemeProvider>
  );
}
