/** Building blocks of the Control page: the result line, choice buttons, a number with a Set button. */
import { useEffect, useId, useState } from 'react';
import type { ControlAction } from '../../shared/control';
import { formatSeriesValue } from '../lib/format';
import type { OutcomeText } from '../lib/control-text';
import { useSeries } from '../state/hooks';

export type SectionState = { kind: 'idle' } | { kind: 'pending'; text: string } | { kind: 'done'; outcome: OutcomeText };

export function ResultLine({ state }: { state: SectionState }) {
  if (state.kind === 'idle') return null;
  if (state.kind === 'pending') {
    return (
      <div className="result pending" role="status" aria-live="polite">
        <div className="title">Sending… {state.text}</div>
        <div className="muted">Waiting for the device to confirm by reading the setting back.</div>
      </div>
    );
  }
  return (
    <div className={`result ${state.outcome.tone}`} role="status" aria-live="polite">
      <div className="title">{state.outcome.title}</div>
      {state.outcome.detail && <div>{state.outcome.detail}</div>}
    </div>
  );
}

/** The current value of a setting, as the device reports it. */
export function Current({ series }: { series: string }) {
  const { entry, stale } = useSeries(series);
  return (
    <span className="muted small">
      now: <strong className={stale ? 'stale' : undefined}>{formatSeriesValue(series, entry?.value)}</strong>
    </span>
  );
}

export function ChoiceButtons<V extends string>({
  series,
  options,
  disabled,
  onChoose,
}: {
  series: string;
  options: ReadonlyArray<{ value: V; label: string; title?: string }>;
  disabled: boolean;
  onChoose(value: V): void;
}) {
  const { entry } = useSeries(series);
  return (
    <div className="segmented" role="group">
      {options.map((o) => (
        <button key={o.value} type="button" className="button" aria-pressed={entry?.value === o.value} title={o.title} disabled={disabled} onClick={() => onChoose(o.value)}>
          {o.label}
        </button>
      ))}
    </div>
  );
}

/** A number setting: prefilled with what the device reports, sent as the action when Set is pressed. */
export function NumberSetting({
  label,
  series,
  unit,
  step,
  disabled,
  makeAction,
  onRequest,
}: {
  label: string;
  series: string;
  unit: string;
  step: number;
  disabled: boolean;
  makeAction(value: number): ControlAction;
  onRequest(action: ControlAction): void;
}) {
  const { entry } = useSeries(series);
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  useEffect(() => {
    if (!touched && typeof entry?.value === 'number') setText(String(entry.value));
  }, [entry?.value, touched]);
  const submit = () => {
    const value = Number(text.trim().replace(',', '.'));
    if (text.trim() === '' || !Number.isFinite(value)) {
      setError('Enter a number');
      return;
    }
    if (unit === 'A' && !Number.isInteger(value)) {
      setError('Currents are whole amps');
      return;
    }
    setError(null);
    onRequest(makeAction(value));
  };
  return (
    <div className="setting-row">
      <label htmlFor={id}>{label}</label>
      <span className="nowrap">
        <input
          id={id}
          type="number"
          inputMode="decimal"
          step={step}
          value={text}
          disabled={disabled}
          onChange={(e) => {
            setTouched(true);
            setText(e.target.value);
          }}
        />{' '}
        {unit}
      </span>
      <button type="button" className="button" disabled={disabled} onClick={submit} aria-label={`Set ${label.toLowerCase()}`}>
        Set
      </button>
      {error ? <span className="error-text small">{error}</span> : <Current series={series} />}
    </div>
  );
}
