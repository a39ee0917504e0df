/** The controller: off, on or dry run, and the thresholds its rules compare against. */
import { useEffect, useState } from 'react';
import type { ControllerSettingsResponse } from '../../shared/api';
import type { ControlAction } from '../../shared/control';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Card } from '../components/Stat';
import { changedThresholds, thresholdLabel, thresholdStep, thresholdUnit } from '../lib/thresholds';
import { useApi } from '../state/hooks';
import { useInstance } from '../state/instance';
import { ResultLine, type SectionState } from './control-parts';

const MODES: ReadonlyArray<{ value: ControllerSettingsResponse['mode']; label: string }> = [
  { value: 'off', label: 'Off' },
  { value: 'on', label: 'On' },
  { value: 'dryRun', label: 'Dry run' },
];

export function ControllerCard({ disabled, state, onRequest }: { disabled: boolean; state: SectionState; onRequest(action: ControlAction): void }) {
  const { client, store } = useInstance();
  const settings = useApi((signal) => client.getController(signal), [], 30_000);
  const [edited, setEdited] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  const [saveState, setSaveState] = useState<SectionState>({ kind: 'idle' });
  const current = settings.value;
  const mode = current?.mode ?? store.health?.controller.mode;
  const { reload } = settings;
  // A mode change answered: read the settings again so "now" shows what the controller reports.
  useEffect(() => {
    if (state.kind === 'done') reload();
  }, [state, reload]);

  const { changes, invalid } = current ? changedThresholds(current.thresholds, edited) : { changes: {}, invalid: [] };
  const changedNames = Object.keys(changes);

  const save = async () => {
    setConfirming(false);
    setSaveState({ kind: 'pending', text: `thresholds ${changedNames.join(', ')}` });
    const r = await client.putController({ thresholds: changes });
    if (r.ok) {
      setEdited({});
      settings.reload();
      setSaveState({ kind: 'done', outcome: { tone: 'ok', title: 'Saved: the controller uses the new thresholds', detail: changedNames.map((n) => `${n} = ${r.value.thresholds[n]}`).join(', ') } });
    } else {
      setSaveState({ kind: 'done', outcome: { tone: 'error', title: r.error.kind === 'badRequest' ? 'Refused' : 'Not saved', detail: r.error.message } });
    }
  };

  return (
    <Card title="Controller" sub={<span className="muted small">now: <strong>{MODES.find((m) => m.value === mode)?.label ?? '—'}</strong></span>}>
      <div className="segmented" role="group" aria-label="Controller mode">
        {MODES.map((m) => (
          <button key={m.value} type="button" className="button" aria-pressed={mode === m.value} disabled={disabled} onClick={() => onRequest({ action: 'setController', value: m.value })}>
            {m.label}
          </button>
        ))}
      </div>
      <ResultLine state={state} />
      <details style={{ marginTop: 10 }}>
        <summary>Thresholds</summary>
        {!current ? (
          <p className="muted">{settings.state === 'error' ? `Cannot load them: ${settings.message}` : 'Loading…'}</p>
        ) : (
          <>
            <table>
              <tbody>
                {Object.entries(current.thresholds).map(([name, value]) => (
                  <tr key={name}>
                    <td>{thresholdLabel(name)}</td>
                    <td className="num">
                      <input
                        type="number"
                        step={thresholdStep(name)}
                        aria-label={thresholdLabel(name)}
                        disabled={disabled}
                        value={edited[name] ?? String(value)}
                        onChange={(e) => setEdited((ed) => ({ ...ed, [name]: e.target.value }))}
                        aria-invalid={invalid.includes(name)}
                      />
                    </td>
                    <td className="muted">{thresholdUnit(name)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="button-row" style={{ marginTop: 8 }}>
              <button type="button" className="button primary" disabled={disabled || changedNames.length === 0 || invalid.length > 0} onClick={() => setConfirming(true)}>
                Save thresholds
              </button>
              {invalid.length > 0 && <span className="error-text small">Not a number: {invalid.map(thresholdLabel).join(', ')}</span>}
            </div>
            <ResultLine state={saveState} />
          </>
        )}
      </details>
      {confirming && <ConfirmDialog question={`Change ${changedNames.map((n) => `${thresholdLabel(n).toLowerCase()} to ${changes[n]} ${thresholdUnit(n)}`).join('; ')}?`} onCancel={() => setConfirming(false)} onConfirm={() => void save()} />}
    </Card>
  );
}
