/**
 * The controller's thresholds are a name → number map (GET/PUT /controller); these are their words and
 * units for the form. An unknown name still gets a row, its unit read from the name's suffix.
 */

const LABELS: Record<string, string> = {
  switchToUsbV: 'Switch the output to USB at or below',
  gridRelayOnV: 'Connect the grid at or below',
  gridRelayOffV: 'Disconnect the grid again at',
  nearlyFullV: 'Nearly full at',
  batteryFullV: 'Full at',
  floatLowV: 'Float voltage, low',
  cvLowV: 'Bulk (C.V.) voltage, low',
  floatHighV: 'Float voltage, high',
  cvHighV: 'Bulk (C.V.) voltage, high',
  socLowPct: 'SOC low',
  socHighPct: 'SOC high',
  cellMaxV: 'A cell counts as full at',
  capacityAh: 'Battery capacity',
  chargeCurrentReducedA: 'Charge current when nearly full',
  chargeCurrentSafeA: 'Charge current when full',
  chargeCurrentOptimalA: 'Charge current restored at night',
  restoreHour: 'Restore the optimal settings at (local hour)',
  lowVoltageMinutes: 'Low voltage must last',
  recoveredMinutes: 'Recovery must last',
  fullMinutes: 'Full must last',
  socMinutes: 'SOC condition must last',
  cooldownMinutes: 'After acting, a rule waits',
};

export function thresholdUnit(name: string): string {
  if (/Pct$/.test(name)) return '%';
  if (/Ah$/.test(name)) return 'Ah';
  if (/Minutes$/.test(name)) return 'min';
  if (/Hour$/.test(name)) return 'h';
  if (/V$/.test(name)) return 'V';
  if (/A$/.test(name)) return 'A';
  return '';
}

export const thresholdLabel = (name: string): string => LABELS[name] ?? name;

/** Input step: voltages the inverter stores in 0.1 V, cell limits in mV, whole amps, minutes and hours. */
export function thresholdStep(name: string): number {
  if (name === 'cellMaxV') return 0.01;
  const unit = thresholdUnit(name);
  return unit === 'V' ? 0.1 : 1;
}

/**
 * The thresholds that differ from the current ones, as numbers; the form's text fields may hold
 * anything, and a field that is not a finite number is named, not sent.
 */
export function changedThresholds(current: Record<string, number>, edited: Record<string, string>): { changes: Record<string, number>; invalid: string[] } {
  const changes: Record<string, number> = {};
  const invalid: string[] = [];
  for (const [name, text] of Object.entries(edited)) {
    const trimmed = text.trim().replace(',', '.');
    const value = trimmed === '' ? NaN : Number(trimmed);
    if (!Number.isFinite(value)) {
      invalid.push(name);
      continue;
    }
    if (current[name] !== value) changes[name] = value;
  }
  return { changes, invalid };
}
