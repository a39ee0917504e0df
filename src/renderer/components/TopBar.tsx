/** The bar on every page: name and site, the page links, the stream's state and the theme toggle. */
import { PAGES, hashFor, type PageId } from '../lib/routes';
import { useConnection } from '../state/hooks';
import { useInstance } from '../state/instance';
import { useTheme } from '../state/theme';
import { useSyncExternalStore } from 'react';
import { dateTimeFormat } from '../lib/format';

const THEME_LABEL = { auto: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' } as const;
const THEME_ICON = { auto: '◐', light: '☀', dark: '☾' } as const;

export function ConnectionBadge() {
  const c = useConnection();
  const [tone, text] =
    c.state === 'open' ? ['ok', 'Live'] : c.state === 'connecting' ? ['warn', 'Connecting…'] : c.state === 'reconnecting' ? ['warn', 'Reconnecting…'] : ['fault', 'Token refused'];
  // The time of the last message: it ticks while data flows and stops when it does not.
  const last = c.lastMessageAtMs === null ? '' : dateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(c.lastMessageAtMs);
  return (
    <span className="conn" role="status" aria-label={`Connection: ${text}`} title={last ? `Last data received at ${last}` : undefined}>
      <span className={`dot ${tone}`} />
      <span className="text">{text}</span>
      {last && <span className={c.state === 'open' ? 'time' : 'time stale'}>{last}</span>}
    </span>
  );
}

export function TopBar({ page }: { page: PageId }) {
  const { store } = useInstance();
  const site = useSyncExternalStore(store.subscribe, () => store.health?.site ?? '');
  const theme = useTheme();
  return (
    <div className="topbar">
      <div className="brand">
        <span aria-hidden="true">⚡</span>
        <span className="name">voltmon</span>
        {site && <span className="site">{site}</span>}
      </div>
      <nav className="tabs" aria-label="Pages">
        {PAGES.map((p) => (
          <a key={p.id} href={hashFor(p.id)} aria-current={p.id === page ? 'page' : undefined}>
            {p.title}
          </a>
        ))}
      </nav>
      <ConnectionBadge />
      <button type="button" className="icon-button" onClick={theme.cycle} title={THEME_LABEL[theme.mode]} aria-label={THEME_LABEL[theme.mode]}>
        <span aria-hidden="true">{THEME_ICON[theme.mode]}</span>
      </button>
    </div>
  );
}
