/**
 * What is wrong right now, above every page: the API gone (values kept, marked stale, reconnecting by
 * itself), a device offline, an inverter fault or warning, BMS alarms.
 */
import { useSyncExternalStore } from 'react';
import { DEVICE_KINDS } from '../../shared/samples';
import { formatAge, formatDateTime, NBSP } from '../lib/format';
import { alarmLabel, inverterFlagLabel, listItems, splitList } from '../lib/labels';
import { useConnection, useLiveLookup, useNow } from '../state/hooks';
import { useInstance } from '../state/instance';
import type { ConnectionInfo } from '../state/live-store';

const DEVICE_NAME = { inverter: 'Inverter', bms: 'BMS', meter: 'Meter', relay: 'Grid relay' } as const;

function ConnectionLost() {
  const c = useConnection();
  if (c.state === 'open' || c.state === 'unauthorized') return null;
  return <ConnectionProblem c={c} />;
}

/** Rendered only while the stream is down: its countdown re-renders every second. */
function ConnectionProblem({ c }: { c: ConnectionInfo }) {
  const now = useNow(1000);
  const retryIn = c.nextRetryAtMs ? Math.max(0, Math.ceil((c.nextRetryAtMs - now) / 1000)) : null;
  if (c.state === 'connecting' && !c.everConnected) {
    return (
      <div className="banner" role="status">
        <strong>Connecting…</strong>
        <span className="muted">
          {c.attempt > 0 ? `The API does not answer yet; trying again${retryIn !== null ? ` in ${retryIn}${NBSP}s` : ''}.` : 'Waiting for the first values from the device.'}
        </span>
      </div>
    );
  }
  return (
    <div className="banner warn" role="alert">
      <strong>Connection to the API lost</strong>
      <span>
        Reconnecting by itself{retryIn !== null ? ` (next try in ${retryIn}${NBSP}s, attempt ${c.attempt})` : '…'}. The values shown are the last ones received
        {c.lastMessageAtMs ? `, ${formatAge(now - c.lastMessageAtMs)} (${formatDateTime(c.lastMessageAtMs)})` : ''}, and are marked as out of date.
      </span>
    </div>
  );
}

function DeviceProblems() {
  const { store } = useInstance();
  const links = useSyncExternalStore(store.subscribe, () => store.links);
  const c = useConnection();
  const live = useLiveLookup();
  if (c.state !== 'open') return null;
  const offline = DEVICE_KINDS.filter((d) => links[d] === 'offline');
  const severity = live.value('inverter.severity');
  const alarms = splitList(live.value('bms.activeAlarms'));
  const latest = store.events.find((e) => e.kind === 'fault' || e.kind === 'warning');
  const items: Array<{ tone: 'fault' | 'warn'; text: string }> = [];
  for (const d of offline) items.push({ tone: 'fault', text: `${DEVICE_NAME[d]} offline: its values are out of date` });
  if (severity === 'fault' || severity === 'warning') {
    const faults = listItems(live.value, 'inverter.faults').map(inverterFlagLabel);
    const warnings = listItems(live.value, 'inverter.warnings').map(inverterFlagLabel);
    const named = [...faults, ...warnings];
    const detail = named.length > 0 ? named.join(', ') : (latest?.message ?? '');
    items.push({ tone: severity === 'fault' ? 'fault' : 'warn', text: `Inverter ${severity}${detail ? `: ${detail}` : ''}` });
  }
  for (const a of alarms) {
    const l = alarmLabel(a);
    items.push({ tone: l.level === 'warning' ? 'warn' : 'fault', text: `BMS: ${l.text}` });
  }
  if (items.length === 0) return null;
  const worst = items.some((i) => i.tone === 'fault') ? 'fault' : 'warn';
  return (
    <div className={`banner ${worst}`} role="alert">
      <div className="statusline">
        {items.map((i) => (
          <span key={i.text} className="item">
            <span className={`dot ${i.tone === 'fault' ? 'fault' : 'warn'}`} />
            {i.text}
          </span>
        ))}
      </div>
    </div>
  );
}

export function StatusBanner() {
  return (
    <>
      <ConnectionLost />
      <DeviceProblems />
    </>
  );
}
