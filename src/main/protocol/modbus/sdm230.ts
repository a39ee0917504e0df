/** Eastron SDM230 input registers (function 0x04), protocols.md §3.2. Each value is one float32 in two registers. */

export interface Sdm230Register {
  /** First of the two input registers. */
  address: number;
  /** voltmon field name (series `meter.<field>`). */
  field: string;
  unit: string;
  /** Key of the same value in mbmd's JSON. */
  mbmdKey: string;
}

export const SDM230_REGISTERS: readonly Sdm230Register[] = [
  { address: 0x0000, field: 'voltageV', unit: 'V', mbmdKey: 'Voltage' },
  { address: 0x0006, field: 'currentA', unit: 'A', mbmdKey: 'Current' },
  { address: 0x000c, field: 'activePowerW', unit: 'W', mbmdKey: 'Power' },
  { address: 0x0012, field: 'apparentPowerVA', unit: 'VA', mbmdKey: 'ApparentPower' },
  { address: 0x0018, field: 'reactivePowerVar', unit: 'var', mbmdKey: 'ReactivePower' },
  { address: 0x001e, field: 'powerFactor', unit: '', mbmdKey: 'Cosphi' },
  { address: 0x0024, field: 'phaseAngleDeg', unit: '°', mbmdKey: 'PhaseAngle' },
  { address: 0x0046, field: 'frequencyHz', unit: 'Hz', mbmdKey: 'Frequency' },
  { address: 0x0048, field: 'importActiveEnergyKwh', unit: 'kWh', mbmdKey: 'Import' },
  { address: 0x004a, field: 'exportActiveEnergyKwh', unit: 'kWh', mbmdKey: 'Export' },
  { address: 0x004c, field: 'importReactiveEnergyKvarh', unit: 'kvarh', mbmdKey: 'ReactiveImport' },
  { address: 0x004e, field: 'exportReactiveEnergyKvarh', unit: 'kvarh', mbmdKey: 'ReactiveExport' },
  { address: 0x0156, field: 'totalActiveEnergyKwh', unit: 'kWh', mbmdKey: 'Sum' },
  { address: 0x0158, field: 'totalReactiveEnergyKvarh', unit: 'kvarh', mbmdKey: 'ReactiveSum' },
];

const BY_ADDRESS = new Map(SDM230_REGISTERS.map((r) => [r.address, r]));

/** The mapped register starting at `address`, if any. */
export function sdm230RegisterAt(address: number): Sdm230Register | undefined {
  return BY_ADDRESS.get(address);
}

/** Fields whose two registers lie wholly inside a read of `count` registers from `start`. */
export function sdm230FieldsInRange(start: number, count: number): string[] {
  return SDM230_REGISTERS.filter((r) => r.address >= start && r.address + 2 <= start + count).map((r) => r.field);
}

/**
 * Named values of a read from `start`: float i sits at register start + 2i. Values at unmapped
 * addresses (demand registers, gaps) are left out.
 */
export function sdm230Fields(start: number, floats: readonly number[]): Record<string, number> {
  const fields: Record<string, number> = {};
  floats.forEach((value, i) => {
    const register = BY_ADDRESS.get(start + 2 * i);
    if (register) fields[register.field] = value;
  });
  return fields;
}
