/**
 * Settings that reach the devices. Every action is confirmed first, shows "sending" while the command
 * queue works, then what the device reads back, or why it was refused. Only an operator token may act;
 * a viewer sees the controls disabled and why.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ControlAction } from '../../shared/control';
import { CHARGER_SOURCE_PRIORITIES, OUTPUT_SOURCE_PRIORITIES } from '../../shared/series';
import type { ApiFailure } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Card } from '../components/Stat';
import { accessFromSession, isPinRefused, type Access } from '../lib/access';
import { describeAction, describeOutcome, type OutcomeText } from '../lib/control-text';
import { CHARGER_PRIORITY_LABEL, OUTPUT_PRIORITY_LONG, OUTPUT_PRIORITY_SHORT } from '../lib/labels';
import { useInstance } from '../state/instance';
import { ChoiceButtons, Current, NumberSetting, ResultLine, type SectionState } from './control-parts';
import { ControllerCard } from './ControllerCard';

function failureText(error: ApiFailure): OutcomeText {
  switch (error.kind) {
    case 'badRequest':
      return { tone: 'error', title: 'Refused', detail: error.message };
    case 'forbidden':
      return { tone: 'error', title: 'Not allowed', detail: error.message };
    case 'rateLimited':
      return { tone: 'error', title: 'Too many requests', detail: error.message };
    case 'network':
    case 'server':
      return { tone: 'error', title: 'No answer', detail: `${error.message}. The setting may or may not have been applied: check the value shown.` };
    default:
      return { tone: 'error', title: 'Failed', detail: error.message };
  }
}

/**
 * Whether this token may act, from GET /session. `enterPin` keeps a PIN for the acting requests;
 * `refusePin` forgets one the server refused and asks again.
 */
function useAccess(): { access: Access; enterPin(pin: string): void; refusePin(): void } {
  const { client, reportUnauthorized } = useInstance();
  const [access, setAccess] = useState<Access>({ kind: 'checking' });
  const [pinState, setPinState] = useState<{ tick: number; refused: boolean }>({ tick: 0, refused: false });
  useEffect(() => {
    const controller = new AbortController();
    client.session(controller.signal).then((r) => {
      if (r.ok) return setAccess(accessFromSession(r.value, client.pin, pinState.refused));
      if (r.error.kind === 'aborted') return;
      if (r.error.kind === 'unauthorized') return reportUnauthorized();
      setAccess({ kind: 'unknown', message: r.error.message });
    });
    return () => controller.abort();
  }, [client, reportUnauthorized, pinState]);
  const enterPin = useCallback(
    (pin: string) => {
      client.pin = pin;
      setPinState((s) => ({ tick: s.tick + 1, refused: false }));
    },
    [client],
  );
  const refusePin = useCallback(() => {
    client.pin = null;
    setPinState((s) => ({ tick: s.tick + 1, refused: true }));
  }, [client]);
  return { access, enterPin, refusePin };
}

function AccessNote({ access, onPin }: { access: Access; onPin(pin: string): void }) {
  const [pin, setPin] = useState('');
  if (access.kind === 'operator') return null;
  if (access.kind === 'checking') return <div className="banner">Checking whether this token may change settings…</div>;
  if (access.kind === 'needsPin') {
    return (
      <form
        className="banner warn"
        onSubmit={(e) => {
          e.preventDefault();
          onPin(pin);
        }}
      >
        <strong>{access.message}</strong>
        <input type="password" inputMode="numeric" autoComplete="off" aria-label="Kiosk PIN" value={pin} onChange={(e) => setPin(e.target.value)} />
        <button type="submit" className="button primary">
          Unlock
        </button>
      </form>
    );
  }
  if (access.kind === 'viewer') {
    return (
      <div className="banner warn" role="note">
        <strong>Controls are disabled: this is a viewer token.</strong>
        <span>
          Changing settings needs an operator token (<code>voltmon token add --role operator</code>). The server said: {access.message}
        </span>
      </div>
    );
  }
  return (
    <div className="banner warn" role="note">
      <strong>Cannot tell whether this token may act:</strong> {access.message}
    </div>
  );
}

const VOLTAGES: ReadonlyArray<{ label: string; series: string; make(v: number): ControlAction }> = [
  { label: 'Bulk (C.V.) voltage', series: 'inverter.batteryBulkVoltageV', make: (v) => ({ action: 'setBulkVoltage', value: v }) },
  { label: 'Float voltage', series: 'inverter.batteryFloatVoltageV', make: (v) => ({ action: 'setFloatVoltage', value: v }) },
  { label: 'Re-charge voltage', series: 'inverter.batteryRechargeVoltageV', make: (v) => ({ action: 'setRechargeVoltage', value: v }) },
  { label: 'Re-discharge voltage', series: 'inverter.batteryRedischargeVoltageV', make: (v) => ({ action: 'setRedischargeVoltage', value: v }) },
  { label: 'Cut-off voltage', series: 'inverter.batteryUnderVoltageV', make: (v) => ({ action: 'setCutoffVoltage', value: v }) },
];

export function Control() {
  const { client, reportUnauthorized } = useInstance();
  const { access, enterPin, refusePin } = useAccess();
  const [sections, setSections] = useState<Record<string, SectionState>>({});
  const [confirm, setConfirm] = useState<{ section: string; action: ControlAction } | null>(null);
  const disabled = access.kind !== 'operator';

  const request = (section: string) => (action: ControlAction) => setConfirm({ section, action });
  const stateOf = (section: string): SectionState => sections[section] ?? { kind: 'idle' };

  const send = async (section: string, action: ControlAction) => {
    setConfirm(null);
    setSections((s) => ({ ...s, [section]: { kind: 'pending', text: describeAction(action).replace(/\?$/, '') } }));
    const r = await client.control(action);
    if (!r.ok && r.error.kind === 'unauthorized') reportUnauthorized();
    if (!r.ok && isPinRefused(r.error)) refusePin();
    const outcome = r.ok ? describeOutcome(r.value) : failureText(r.error);
    setSections((s) => ({ ...s, [section]: { kind: 'done', outcome } }));
  };

  return (
    <>
      <AccessNote access={access} onPin={enterPin} />
      <div className="grid cols-2">
        <Card title="Output source priority" sub={<Current series="inverter.outputSourcePriority" />}>
          <ChoiceButtons
            series="inverter.outputSourcePriority"
            options={OUTPUT_SOURCE_PRIORITIES.map((v) => ({ value: v, label: OUTPUT_PRIORITY_SHORT[v], title: OUTPUT_PRIORITY_LONG[v] }))}
            disabled={disabled}
            onChoose={(value) => request('output')({ action: 'setOutputSourcePriority', value })}
          />
          <p className="muted small" style={{ marginBottom: 0 }}>
            USB: utility, solar, battery · SUB: solar, utility, battery · SBU: solar, battery, utility
          </p>
          <ResultLine state={stateOf('output')} />
        </Card>
        <Card title="Charger source priority" sub={<Current series="inverter.chargerSourcePriority" />}>
          <ChoiceButtons
            series="inverter.chargerSourcePriority"
            options={CHARGER_SOURCE_PRIORITIES.map((v) => ({ value: v, label: CHARGER_PRIORITY_LABEL[v] }))}
            disabled={disabled}
            onChoose={(value) => request('charger')({ action: 'setChargerSourcePriority', value })}
          />
          <ResultLine state={stateOf('charger')} />
        </Card>
        <Card title="Grid relay" sub={<Current series="relay.gridConnected" />}>
          <div className="button-row">
            <button type="button" className="button" disabled={disabled} onClick={() => request('relay')({ action: 'setGridRelay', value: 'connected' })}>
              Connect grid
            </button>
            <button type="button" className="button" disabled={disabled} onClick={() => request('relay')({ action: 'setGridRelay', value: 'disconnected' })}>
              Disconnect grid
            </button>
          </div>
          <ResultLine state={stateOf('relay')} />
        </Card>
        <Card title="Charging current">
          <div className="setting-rows">
            <NumberSetting label="Max charging current" series="inverter.maxChargingCurrentA" unit="A" step={10} disabled={disabled} makeAction={(v) => ({ action: 'setMaxChargingCurrent', value: v })} onRequest={request('current')} />
            <NumberSetting label="Max utility charging current" series="inverter.maxAcChargingCurrentA" unit="A" step={10} disabled={disabled} makeAction={(v) => ({ action: 'setMaxAcChargingCurrent', value: v })} onRequest={request('current')} />
          </div>
          <ResultLine state={stateOf('current')} />
        </Card>
        <Card title="Battery voltages">
          <div className="setting-rows">
            {VOLTAGES.map((v) => (
              <NumberSetting key={v.series} label={v.label} series={v.series} unit="V" step={0.1} disabled={disabled} makeAction={v.make} onRequest={request('voltages')} />
            ))}
          </div>
          <ResultLine state={stateOf('voltages')} />
        </Card>
        <ControllerCard disabled={disabled} state={stateOf('controller')} onRequest={request('controller')} />
      </div>
      {confirm && (
        <ConfirmDialog
          question={describeAction(confirm.action)}
          danger={confirm.action.action === 'setGridRelay' && confirm.action.value === 'disconnected'}
          onCancel={() => setConfirm(null)}
          onConfirm={() => void send(confirm.section, confirm.action)}
        />
      )}
    </>
  );
}
