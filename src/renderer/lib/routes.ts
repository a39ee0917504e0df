/** Hash routes (`#/battery`), so any static server and the Electron window can serve the app unchanged. */

export const PAGES = [
  { id: 'overview', title: 'Overview' },
  { id: 'inverter', title: 'Inverter' },
  { id: 'battery', title: 'Battery' },
  { id: 'statistics', title: 'Statistics' },
  { id: 'control', title: 'Control' },
  { id: 'events', title: 'Events' },
  { id: 'connections', title: 'Connections' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

export const DEFAULT_PAGE: PageId = 'overview';

const IDS = new Set<string>(PAGES.map((p) => p.id));

/** `#/battery`, `#battery`, `#/Battery/` → `battery`; anything unknown is the overview. */
export function pageFromHash(hash: string): PageId {
  const path = hash.replace(/^#/, '').split(/[?&]/)[0] ?? '';
  const id = path.replace(/^\/+|\/+$/g, '').toLowerCase();
  return IDS.has(id) ? (id as PageId) : DEFAULT_PAGE;
}

export const hashFor = (page: PageId): string => `#/${page}`;

export const pageTitle = (page: PageId): string => PAGES.find((p) => p.id === page)?.title ?? 'Overview';
