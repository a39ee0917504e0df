/**
 * Devices for running the controller without hardware (`voltmon backtest`, tests): an inverter port that
 * applies PI30 setting text to its settings the way the firmware does after an ACK, with injectable
 * faults (NAK, timeout, offline, ignored command, no read-back), and a relay port that just holds a state.
 */
import type { FieldValue } from '../../shared/samples.js';
import { CHARGER_SOURCE_PRIORITIES, OUTPUT_SOURCE_PRIORITIES } from '../../shared/series.js';
import type { CommandReply, InverterCommandPort, RelayPort } from './ports.js';

export type SimulatedFault = 'none' | 'nak' | 'timeout' | 'offline' | 'ignore' | 'noReadBack';

/** A typical 5 kW unit's QMCHGCR / QMUCHGCR. */
export const SIMULATED_CHARGE_OPTIONS_A = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120];
export const SIMULATED_AC_CHARGE_OPTIONS_A = [2, 10, 20, 30, 40, 50, 60];

const VOLTAGE_FIELDS: Record<string, string> = {
  PCVV: 'batteryBulkVoltageV',
  PBFT: 'batteryFloatVoltageV',
  PBCV: 'batteryRechargeVoltageV',
  PBDV: 'batteryRedischargeVoltageV',
  PSDV: 'batteryUnderVoltageV',
};

export interface SimulatedInverter extends InverterCommandPort {
  /** The settings as QPIRI would report them (enumerations by name). */
  settings: Record<string, FieldValue>;
  fault: SimulatedFault;
  /** Every setting text received, in order. */
  readonly sent: string[];
  batteryOptionsA: number[] | null;
  utilityOptionsA: number[] | null;
  /** Most calls ever in progress at once (the queue must keep this at 1). */
  readonly maxConcurrentCalls: number;
}

export function createSimulatedInverter(settings: Record<string, FieldValue> = {}): SimulatedInverter {
  let inFlight = 0;
  let maxInFlight = 0;
  const sim: SimulatedInverter = {
    settings: { ...settings },
    fault: 'none',
    sent: [],
    batteryOptionsA: [...SIMULATED_CHARGE_OPTIONS_A],
    utilityOptionsA: [...SIMULATED_AC_CHARGE_OPTIONS_A],
    get maxConcurrentCalls() {
      return maxInFlight;
    },
    sendSetting: (text) =>
      call((): CommandReply => {
        sim.sent.push(text);
        if (sim.fault === 'offline') return { ok: false, reason: 'offline', message: 'link down' };
        if (sim.fault === 'timeout') return { ok: false, reason: 'timeout', message: 'no reply' };
        if (sim.fault === 'nak') return { ok: false, reason: 'nak', message: '(NAK' };
        if (sim.fault === 'ignore') return { ok: true };
        return apply(sim, text) ? { ok: true } : { ok: false, reason: 'nak', message: '(NAK' };
      }),
    readSettings: () =>
      call(() => {
        if (sim.fault === 'offline' || (sim.fault === 'noReadBack' && sim.sent.length > 0)) return null;
        return { ...sim.settings };
      }),
    readChargeCurrentOptions: (kind) =>
      call(() => {
        if (sim.fault === 'offline') return null;
        const options = kind === 'battery' ? sim.batteryOptionsA : sim.utilityOptionsA;
        return options ? [...options] : null;
      }),
  };

  /** Every call yields once, as a real link would, so overlapping calls would show. */
  async function call<T>(fn: () => T): Promise<T> {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await Promise.resolve();
      return fn();
    } finally {
      inFlight -= 1;
    }
  }
  return sim;
}

/** Applies setting text as the firmware would; false = NAK. */
function apply(sim: SimulatedInverter, text: string): boolean {
  const s = sim.settings;
  let m = /^POP(\d\d)$/.exec(text);
  if (m) return setName(s, 'outputSourcePriority', OUTPUT_SOURCE_PRIORITIES[Number(m[1])]);
  m = /^PCP(\d\d)$/.exec(text);
  if (m) return setName(s, 'chargerSourcePriority', CHARGER_SOURCE_PRIORITIES[Number(m[1])]);
  m = /^(?:MCHGC0(\d\d)|MNCHGC0(\d{3}))$/.exec(text);
  if (m) return setCurrent(s, 'maxChargingCurrentA', sim.batteryOptionsA, Number(m[1] ?? m[2]));
  m = /^MUCHGC0?(\d\d\d?)$/.exec(text);
  if (m) return setCurrent(s, 'maxAcChargingCurrentA', sim.utilityOptionsA, Number(m[1]));
  m = /^(PCVV|PBFT|PBCV|PBDV|PSDV)(\d\d\.\d)$/.exec(text);
  const field = m ? VOLTAGE_FIELDS[m[1] as string] : undefined;
  if (!m || !field) return false;
  s[field] = Number(m[2]);
  return true;
}

function setName(s: Record<string, FieldValue>, field: string, name: string | undefined): boolean {
  if (name === undefined) return false;
  s[field] = name;
  return true;
}

function setCurrent(s: Record<string, FieldValue>, field: string, options: number[] | null, amps: number): boolean {
  if (!options?.includes(amps)) return false;
  s[field] = amps;
  return true;
}

export interface SimulatedRelay extends RelayPort {
  /** Make the next switches throw (a broken line) or read back the wrong state. */
  fault: 'none' | 'throws' | 'stuck';
  switches: number;
  /** Take a state from outside (a recording) without counting it as a switch. */
  hold(connected: boolean | null): void;
}

export function createSimulatedRelay(initial: boolean | null = true): SimulatedRelay {
  let state = initial;
  const relay: SimulatedRelay = {
    fault: 'none',
    switches: 0,
    async setGridConnected(connected) {
      if (relay.fault === 'throws') throw new Error('the relay line could not be written');
      relay.switches += 1;
      if (relay.fault !== 'stuck') state = connected;
      return state === true;
    },
    isGridConnected: () => state,
    hold(connected) {
      state = connected;
    },
  };
  return relay;
}
