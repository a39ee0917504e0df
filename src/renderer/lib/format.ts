/**
 * Numbers, quantities and times as a person reads them, in their locale. Voltages always carry two
 * decimals (`52.61 V`): a LiFePO4 pack's whole story happens within a few volts. The unit is joined by a
 * no-break space so it never wraps away from its number.
 */
import { seriesInfo } from '../../shared/series';
import type { FieldValue } from '../../shared/samples';
import { enumLabel } from './labels';

export const NBSP = '\u00a0';
/** Shown where a value is missing: never `NaN`, never an empty cell. */
export const NO_VALUE = '—';

const DECIMALS_BY_UNIT: Record<string, number> = {
  V: 2,
  A: 1,
  W: 0,
  VA: 0,
  var: 0,
  Hz: 1,
  '°C': 1,
  '%': 0,
  kWh: 2,
  Ah: 1,
  mV: 0,
};

/**
 * Where a series needs other decimals than its unit's: AC and PV voltages read to 0.1 V (230.00 V would
 * pretend a precision the inverter lacks), cells to the millivolt, counts as whole numbers.
 */
const DECIMALS_BY_SERIES: Record<string, number> = {
  'inverter.gridVoltageV': 1,
  'inverter.acOutputVoltageV': 1,
  'inverter.pvInputVoltageV': 1,
  'inverter.busVoltageV': 0,
  'meter.voltageV': 1,
  'bms.cellVoltagesV': 3,
  'bms.maxCellVoltageV': 3,
  'bms.minCellVoltageV': 3,
  'bms.cycleCount': 0,
  'meter.powerFactor': 2,
};

/** Decimals for a series, `bms.cellVoltagesV[3]` counting as `bms.cellVoltagesV`. */
export function decimalsForSeries(series: string, unit: string): number {
  return DECIMALS_BY_SERIES[series.replace(/\[\d+\]$/, '')] ?? decimalsFor(unit);
}

const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string | undefined, decimals: number): Intl.NumberFormat {
  const key = `${locale ?? ''}|${decimals}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    formatters.set(key, format);
  }
  return format;
}

const usable = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A number with a fixed count of decimals, grouped by the locale; `—` for anything that is not a finite number. */
export function formatNumber(value: unknown, decimals: number, locale?: string): string {
  if (!usable(value)) return NO_VALUE;
  // -0.00 reads as a sign error to a person.
  const rounded = Math.abs(value) < 0.5 * 10 ** -decimals ? 0 : value;
  return numberFormat(locale, decimals).format(rounded);
}

export const decimalsFor = (unit: string): number => DECIMALS_BY_UNIT[unit] ?? 1;

/** `52.61 V`, `4.0 A`, `22.5 °C`; the unit's usual decimals unless told. */
export function formatQuantity(value: unknown, unit: string, locale?: string, decimals = decimalsFor(unit)): string {
  if (!usable(value)) return NO_VALUE;
  const text = formatNumber(value, decimals, locale);
  if (unit === '') return text;
  return unit === '%' ? `${text}${NBSP}%` : `${text}${NBSP}${unit}`;
}

/** Power in W below 10 kW would read as a wall of digits above it: `850 W`, `1,234 W`, `12.5 kW`. */
export function formatPower(watts: unknown, locale?: string): string {
  if (!usable(watts)) return NO_VALUE;
  if (Math.abs(watts) >= 10_000) return formatQuantity(watts / 1000, 'kW', locale, 1);
  return formatQuantity(watts, 'W', locale, 0);
}

/** Energy: `0.4 Wh` and `850 Wh` under one kWh, `2.35 kWh`, `182 kWh` from a hundred up. */
export function formatEnergyKwh(kwh: unknown, locale?: string): string {
  if (!usable(kwh)) return NO_VALUE;
  if (kwh === 0) return formatQuantity(0, 'Wh', locale, 0);
  if (Math.abs(kwh) < 0.01) return formatQuantity(kwh * 1000, 'Wh', locale, 1);
  if (Math.abs(kwh) < 1) return formatQuantity(kwh * 1000, 'Wh', locale, 0);
  return formatQuantity(kwh, 'kWh', locale, Math.abs(kwh) >= 100 ? 0 : 2);
}

const energyTick = new Map<string, Intl.NumberFormat>();

/** Axis labels for energy: as many decimals as the tick step needs (0.05 Wh steps must not all read 0.1 Wh). */
export function formatEnergyTick(kwh: number, locale?: string): string {
  if (!Number.isFinite(kwh)) return '';
  const key = locale ?? '';
  let format = energyTick.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
    energyTick.set(key, format);
  }
  if (kwh === 0) return `0${NBSP}Wh`;
  return Math.abs(kwh) < 1 ? `${format.format(kwh * 1000)}${NBSP}Wh` : `${format.format(kwh)}${NBSP}kWh`;
}

/** Any series value as the catalogue describes it: numbers with their unit, enums by name, booleans as words. */
export function formatSeriesValue(series: string, value: FieldValue | undefined, locale?: string): string {
  if (value === null || value === undefined) return NO_VALUE;
  const info = seriesInfo(series);
  if (typeof value === 'boolean') return booleanLabel(series, value);
  if (typeof value === 'string') return info?.kind === 'enum' ? enumLabel(series, value) : value;
  if (!info) return formatNumber(value, 2, locale);
  if (info.unit === 'W') return formatPower(value, locale);
  return formatQuantity(value, info.unit, locale, decimalsForSeries(series, info.unit));
}

function booleanLabel(series: string, value: boolean): string {
  if (series === 'relay.gridConnected') return value ? 'Connected' : 'Disconnected';
  return value ? 'On' : 'Off';
}

/** How long ago, in the largest unit that fits: `now`, `12 s ago`, `5 min ago`, `3 h ago`, `2 d ago`. */
export function formatAge(ageMs: number): string {
  if (!Number.isFinite(ageMs)) return NO_VALUE;
  const s = Math.max(0, Math.round(ageMs / 1000));
  if (s < 2) return 'now';
  if (s < 60) return `${s}${NBSP}s ago`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min}${NBSP}min ago`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h}${NBSP}h ago`;
  return `${Math.round(h / 24)}${NBSP}d ago`;
}

/** A duration in seconds as `3 d 4 h`, `2 h 5 min`, `42 s`. */
export function formatDuration(totalS: number): string {
  if (!Number.isFinite(totalS) || totalS < 0) return NO_VALUE;
  const s = Math.floor(totalS);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}${NBSP}d ${h}${NBSP}h`;
  if (h > 0) return `${h}${NBSP}h ${m}${NBSP}min`;
  if (m > 0) return `${m}${NBSP}min ${s % 60}${NBSP}s`;
  return `${s}${NBSP}s`;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** A cached Intl.DateTimeFormat: charts format thousands of ticks and tooltips. */
export function dateTimeFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** Date and time of an event or sample, to the second. */
export function formatDateTime(tsMs: number, locale?: string, timeZone?: string): string {
  if (!Number.isFinite(tsMs)) return NO_VALUE;
  return dateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).format(tsMs);
}

/** Axis ticks: clock time within two days, day and month within a quarter, month and year beyond. */
export function tickFormatOptions(rangeMs: number): Intl.DateTimeFormatOptions {
  if (rangeMs <= 2 * 86_400_000) return { hour: '2-digit', minute: '2-digit' };
  if (rangeMs <= 92 * 86_400_000) return { month: 'short', day: 'numeric' };
  return { year: 'numeric', month: 'short' };
}
