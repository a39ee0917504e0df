/**
 * Other voltmon instances next to this one (the logger and the gridbox): add and remove them, see each
 * one's health, and draw one chart from series of different instances.
 */
import { useEffect, useMemo, useState, useSyncExternalStore, type FormEvent } from 'react';
import type { HealthResponse } from '../../shared/api';
import { SERIES } from '../../shared/series';
import { ApiClient } from '../api/client';
import { TimeChart } from '../charts/TimeChart';
import type { LineSpec } from '../charts/time-config';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { RangePicker } from '../components/RangePicker';
import { Card } from '../components/Stat';
import { addInstance, LOCAL_INSTANCE_ID, removeInstance, type Instance } from '../lib/connections';
import { formatDuration } from '../lib/format';
import { useInstance } from '../state/instance';
import { pollingSource, type SeriesSource } from '../state/sources';
import { useStoredInstances } from '../state/stored-instances';
import { usePageRange } from './page-range';

type Probe = { state: 'checking' } | { state: 'ok'; health: HealthResponse } | { state: 'error'; message: string };

function HealthCells({ health }: { health: HealthResponse }) {
  return (
    <>
      <td>
        <span className={`badge ${health.status === 'ok' ? 'ok' : 'warning'}`}>{health.status}</span> site <strong>{health.site}</strong>
        {health.simulated && <span className="badge"> simulated plant</span>}
      </td>
      <td>
        {health.devices.map((d) => (
          <span key={d.device} className={`badge ${d.link}`} style={{ marginRight: 4 }} title={d.description}>
            {d.device} {d.link}
          </span>
        ))}
      </td>
      <td className="nowrap">
        v{health.version}, up {formatDuration(health.uptimeS)}
      </td>
    </>
  );
}

/** Health (public) and one authenticated request, so a wrong token shows here and not later in a chart. */
function useProbe(instance: Instance): Probe {
  const [probe, setProbe] = useState<Probe>({ state: 'checking' });
  useEffect(() => {
    const client = new ApiClient(instance.url, instance.token);
    let controller = new AbortController();
    const run = async () => {
      controller.abort();
      controller = new AbortController();
      const health = await client.health(controller.signal);
      if (!health.ok) {
        if (health.error.kind === 'aborted') return;
        const hint = health.error.kind === 'network' ? ` (if it is up, add ${window.location.origin} to its api.corsOrigins)` : '';
        return setProbe({ state: 'error', message: `${health.error.message}${hint}` });
      }
      const auth = await client.events({ limit: 1 }, controller.signal);
      if (!auth.ok && auth.error.kind === 'aborted') return;
      if (!auth.ok && auth.error.kind === 'unauthorized') return setProbe({ state: 'error', message: 'the token was refused (401)' });
      setProbe({ state: 'ok', health: health.value });
    };
    void run();
    const id = setInterval(run, 10_000);
    return () => {
      clearInterval(id);
      controller.abort();
    };
  }, [instance.url, instance.token]);
  return probe;
}

function InstanceRow({ instance, onRemove }: { instance: Instance; onRemove(): void }) {
  const probe = useProbe(instance);
  return (
    <tr>
      <td>
        <strong>{instance.name}</strong>
        <div className="muted small">{instance.url}</div>
      </td>
      {probe.state === 'ok' ? (
        <HealthCells health={probe.health} />
      ) : (
        <td colSpan={3} className={probe.state === 'error' ? 'error-text' : 'muted'}>
          {probe.state === 'error' ? probe.message : 'checking…'}
        </td>
      )}
      <td>
        <button type="button" className="button" onClick={onRemove} aria-label={`Remove ${instance.name}`}>
          Remove
        </button>
      </td>
    </tr>
  );
}

function AddForm({ list, onAdd }: { list: readonly Instance[]; onAdd(next: Instance[]): void }) {
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = addInstance(list, { name, address, token }, () => `i${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`);
    if (!r.ok) return setError(r.message);
    setError(null);
    setName('');
    setAddress('');
    setToken('');
    onAdd(r.value);
  };
  return (
    <form className="form-row" onSubmit={submit}>
      <label className="field">
        Name
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="gridbox" />
      </label>
      <label className="field" style={{ flex: 2, minWidth: 220 }}>
        Address
        <input type="text" inputMode="url" autoComplete="off" spellCheck={false} value={address} onChange={(e) => setAddress(e.target.value)} placeholder="http://gridbox.local:48211" />
      </label>
      <label className="field" style={{ flex: 1, minWidth: 160 }}>
        Token
        <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} placeholder="vmt_…" />
      </label>
      <button type="submit" className="button primary">
        Add instance
      </button>
      {error && <p className="error-text small" style={{ flexBasis: '100%', margin: 0 }}>{error}</p>}
    </form>
  );
}

const NUMERIC_SERIES = SERIES.filter((s) => s.kind === 'number').map((s) => ({ name: `${s.device}.${s.field}`, label: `${s.label} (${s.device})` }));
const PICK_COLORS = ['--battery', '--grid'];

function LinePicker({ index, value, sources, onChange }: { index: number; value: { source: string; series: string }; sources: readonly SeriesSource[]; onChange(v: { source: string; series: string }): void }) {
  return (
    <div className="form-row">
      <label className="field">
        Line {index + 1} from
        <select value={value.source} onChange={(e) => onChange({ ...value, source: e.target.value })}>
          {sources.map((s) => (
            <option key={s.key} value={s.key}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Series
        <select value={value.series} onChange={(e) => onChange({ ...value, series: e.target.value })}>
          {NUMERIC_SERIES.map((s) => (
            <option key={s.name} value={s.name}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

export function Connections() {
  const { client, store } = useInstance();
  const health = useSyncExternalStore(store.subscribe, () => store.health);
  const [list, setList] = useStoredInstances();
  const [removing, setRemoving] = useState<Instance | null>(null);
  const [range, setRange] = usePageRange('connections', '6h');
  const remoteSources = useMemo(() => list.map((i) => pollingSource(i.id, i.name, new ApiClient(i.url, i.token))), [list]);
  const pickable: SeriesSource[] = [{ key: LOCAL_INSTANCE_ID, name: 'This instance', client, subscribe: () => () => undefined }, ...remoteSources];
  const [picks, setPicks] = useState([
    { source: LOCAL_INSTANCE_ID, series: 'inverter.batteryVoltageV' },
    { source: list[0]?.id ?? LOCAL_INSTANCE_ID, series: 'meter.activePowerW' },
  ]);
  const validPicks = picks.map((p) => (pickable.some((s) => s.key === p.source) ? p : { ...p, source: LOCAL_INSTANCE_ID }));
  const lines: LineSpec[] = validPicks.map((p, i) => ({
    series: p.series,
    color: PICK_COLORS[i]!,
    source: p.source === LOCAL_INSTANCE_ID ? undefined : p.source,
    label: `${pickable.find((s) => s.key === p.source)?.name ?? ''}: ${NUMERIC_SERIES.find((s) => s.name === p.series)?.label ?? p.series}`,
  }));

  return (
    <>
      <Card title="Instances" sub="kept in this browser">
        <div style={{ overflowX: 'auto' }}>
          <table>
            <thead>
              <tr>
                <th>Instance</th>
                <th>Status</th>
                <th>Devices</th>
                <th>Version</th>
                <th />
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>
                  <strong>This instance</strong>
                  <div className="muted small">{window.location.host}</div>
                </td>
                {health ? <HealthCells health={health} /> : <td colSpan={3} className="muted">connecting…</td>}
                <td />
              </tr>
              {list.map((i) => (
                <InstanceRow key={i.id} instance={i} onRemove={() => setRemoving(i)} />
              ))}
            </tbody>
          </table>
        </div>
        <h3 style={{ fontSize: '0.95rem', margin: '14px 0 6px' }}>Add an instance</h3>
        <AddForm list={list} onAdd={setList} />
        <p className="muted small" style={{ marginBottom: 0 }}>
          Another instance answers this page only if its <code>api.corsOrigins</code> lists <code>{window.location.origin}</code>. Tokens stay in this browser&apos;s storage.
        </p>
      </Card>
      <Card title="Combined chart" sub="series from different instances on one time axis">
        {validPicks.map((p, i) => (
          <LinePicker key={i} index={i} value={p} sources={pickable} onChange={(v) => setPicks((ps) => ps.map((x, j) => (j === i ? v : x)))} />
        ))}
        <div style={{ margin: '8px 0' }}>
          <RangePicker range={range} onChange={setRange} />
        </div>
        <TimeChart title="Chosen series" lines={lines} range={range} onRangeChange={setRange} sources={remoteSources} />
      </Card>
      {removing && (
        <ConfirmDialog
          question={`Remove ${removing.name} (${removing.url}) from this browser? Its token is forgotten here.`}
          confirmLabel="Remove"
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            setList(removeInstance(list, removing.id));
            setRemoving(null);
          }}
        />
      )}
    </>
  );
}
