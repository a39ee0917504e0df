/**
 * The energy-flow picture's arithmetic: which way each line flows and how fast its dashes move.
 * Signs follow the series catalogue: battery power is + when charging, meter power + when importing.
 */
import type { FieldValue } from '../../shared/samples';

export type FlowDirection = 'forward' | 'reverse' | 'idle' | 'unknown';

export interface FlowEdge {
  /** Magnitude in W, or null when the value is not known. */
  watts: number | null;
  /** `forward` is the drawn direction: PV→inverter, grid→inverter, inverter→house, inverter→battery. */
  direction: FlowDirection;
  /** Seconds for one dash cycle: more power, faster dashes; 0 when nothing moves. */
  cycleS: number;
}

export interface EnergyFlow {
  pv: FlowEdge;
  grid: FlowEdge & { disconnected: boolean };
  load: FlowEdge;
  battery: FlowEdge;
}

/** Below this, a sensor's noise, not a flow: no arrows. */
export const IDLE_BELOW_W = 5;

export type LiveLookup = (series: string) => FieldValue | undefined;

const num = (value: FieldValue | undefined): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Dash cycle time: 3 s for a trickle, down to 0.4 s for several kW, on a log scale so both are visible. */
export function cycleSeconds(watts: number): number {
  const magnitude = Math.abs(watts);
  if (!Number.isFinite(magnitude) || magnitude < IDLE_BELOW_W) return 0;
  const s = 3 / (1 + Math.log10(1 + magnitude / 50));
  return Math.round(Math.min(3, Math.max(0.4, s)) * 100) / 100;
}

/** One edge from a signed power: positive flows forward. */
export function edgeFromSigned(watts: number | null): FlowEdge {
  if (watts === null) return { watts: null, direction: 'unknown', cycleS: 0 };
  const magnitude = Math.abs(watts);
  if (magnitude < IDLE_BELOW_W) return { watts: magnitude, direction: 'idle', cycleS: 0 };
  return { watts: magnitude, direction: watts > 0 ? 'forward' : 'reverse', cycleS: cycleSeconds(magnitude) };
}

/**
 * The four edges from live values. PV and load only flow one way; a negative reading there is noise
 * and shows as idle. Battery power falls back to the BMS (current × voltage) when the inverter has none.
 */
export function computeFlow(live: LiveLookup): EnergyFlow {
  const pv = num(live('inverter.pvPowerW'));
  const load = num(live('inverter.acOutputActivePowerW'));
  let battery = num(live('inverter.batteryPowerW'));
  if (battery === null) {
    const current = num(live('bms.currentA'));
    const voltage = num(live('bms.totalVoltageV'));
    battery = current !== null && voltage !== null ? current * voltage : null;
  }
  const grid = num(live('meter.activePowerW'));
  const relay = live('relay.gridConnected');
  const disconnected = relay === false;
  const gridEdge = disconnected ? { watts: grid === null ? null : Math.abs(grid), direction: 'idle' as const, cycleS: 0 } : edgeFromSigned(grid);
  return {
    pv: edgeFromSigned(pv === null ? null : Math.max(0, pv)),
    grid: { ...gridEdge, disconnected },
    load: edgeFromSigned(load === null ? null : Math.max(0, load)),
    battery: edgeFromSigned(battery),
  };
}
