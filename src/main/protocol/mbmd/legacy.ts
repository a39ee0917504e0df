/** The original installation's SDM230 table: var1..var13 = the mbmd keys in alphabetical order (protocols.md §5). */

/** Field of each legacy column, var1 first (ApparentPower, Cosphi, ..., Voltage). */
export const SDM230_LEGACY_FIELDS = [
  'apparentPowerVA',
  'powerFactor',
  'currentA',
  'exportActiveEnergyKwh',
  'frequencyHz',
  'importActiveEnergyKwh',
  'phaseAngleDeg',
  'activePowerW',
  'exportReactiveEnergyKvarh',
  'importReactiveEnergyKvarh',
  'reactivePowerVar',
  'totalActiveEnergyKwh',
  'voltageV',
] as const;

/** var1..var13 from decoded SDM230 fields, or null when any is missing (the original wrote no row then). */
export function sdm230LegacyColumns(fields: Readonly<Record<string, unknown>>): Record<string, number> | null {
  const out: Record<string, number> = {};
  for (const [i, field] of SDM230_LEGACY_FIELDS.entries()) {
    const value = fields[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) return null;
    out[`var${i + 1}`] = value;
  }
  return out;
}
