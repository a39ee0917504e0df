import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration, formatEnergyKwh, formatEnergyTick, formatNumber, formatPower, formatQuantity, formatSeriesValue, NBSP, NO_VALUE, tickFormatOptions } from './format';

// The no-break space sits between a number and its unit only.
const nb = (s: string) => s.replace(/(\d) /g, `$1${NBSP}`);

describe('voltages', () => {
  it('always carry two decimals and the unit', () => {
    expect(formatQuantity(52.61, 'V', 'en-US')).toBe(nb('52.61 V'));
    expect(formatQuantity(52.6, 'V', 'en-US')).toBe(nb('52.60 V'));
    expect(formatQuantity(3.3456, 'V', 'en-US')).toBe(nb('3.35 V'));
  });

  it('use the locale decimal separator', () => {
    expect(formatQuantity(52.61, 'V', 'de-DE')).toBe(nb('52,61 V'));
    expect(formatSeriesValue('inverter.batteryVoltageV', 52.61, 'cs-CZ')).toBe(nb('52,61 V'));
  });

  it('keep the unit from wrapping away from the number', () => {
    expect(formatQuantity(230.1, 'V', 'en-US')).not.toContain(' ');
  });
});

describe('missing and broken values', () => {
  it('show a dash, never NaN or Infinity', () => {
    for (const bad of [NaN, Infinity, -Infinity, null, undefined, '12']) {
      expect(formatQuantity(bad, 'V', 'en-US')).toBe(NO_VALUE);
      expect(formatPower(bad, 'en-US')).toBe(NO_VALUE);
    }
    expect(formatSeriesValue('bms.socPct', null, 'en-US')).toBe(NO_VALUE);
  });

  it('do not print a negative zero', () => {
    expect(formatNumber(-0.001, 2, 'en-US')).toBe('0.00');
    expect(formatPower(-0.4, 'en-US')).toBe(nb('0 W'));
  });
});

describe('power and energy', () => {
  it('shows watts with grouping, kilowatts from 10 kW', () => {
    expect(formatPower(850, 'en-US')).toBe(nb('850 W'));
    expect(formatPower(-1234.4, 'en-US')).toBe(nb('-1,234 W'));
    expect(formatPower(12_500, 'en-US')).toBe(nb('12.5 kW'));
  });

  it('shows Wh under 1 kWh (tenths under 10 Wh), two decimals below 100 kWh, none above', () => {
    expect(formatEnergyKwh(0.85, 'en-US')).toBe(nb('850 Wh'));
    expect(formatEnergyKwh(0.0004, 'en-US')).toBe(nb('0.4 Wh'));
    expect(formatEnergyKwh(0, 'en-US')).toBe(nb('0 Wh'));
    expect(formatEnergyKwh(2.354, 'en-US')).toBe(nb('2.35 kWh'));
    expect(formatEnergyKwh(182.4, 'en-US')).toBe(nb('182 kWh'));
  });
});

describe('energy axis labels', () => {
  it('keep the decimals a fine tick step needs', () => {
    expect([0, 0.00005, 0.0001, 0.00015].map((v) => formatEnergyTick(v, 'en-US'))).toEqual([nb('0 Wh'), nb('0.05 Wh'), nb('0.1 Wh'), nb('0.15 Wh')]);
    expect(formatEnergyTick(12.5, 'en-US')).toBe(nb('12.5 kWh'));
  });
});

describe('series values', () => {
  it('formats numbers by the catalogue unit', () => {
    expect(formatSeriesValue('inverter.acOutputFrequencyHz', 50.04, 'en-US')).toBe(nb('50.0 Hz'));
    expect(formatSeriesValue('bms.socPct', 61.5, 'en-US')).toBe(nb('62 %'));
    expect(formatSeriesValue('inverter.pvPowerW', 1550, 'en-US')).toBe(nb('1,550 W'));
  });

  it('AC and PV voltages to 0.1 V, cells to the millivolt, counts whole', () => {
    expect(formatSeriesValue('inverter.acOutputVoltageV', 230, 'en-US')).toBe(nb('230.0 V'));
    expect(formatSeriesValue('inverter.batteryVoltageV', 52.8, 'en-US')).toBe(nb('52.80 V'));
    expect(formatSeriesValue('bms.cellVoltagesV[12]', 3.3014, 'en-US')).toBe(nb('3.301 V'));
    expect(formatSeriesValue('bms.cycleCount', 40, 'en-US')).toBe('40');
  });

  it('names enums the way the inverter display does', () => {
    expect(formatSeriesValue('inverter.outputSourcePriority', 'sbu')).toBe('SBU');
    expect(formatSeriesValue('inverter.outputSourcePriority', 'utilityFirst')).toBe('USB');
    expect(formatSeriesValue('inverter.chargerSourcePriority', 'solarOnly')).toBe('Only solar');
    expect(formatSeriesValue('inverter.mode', 'line')).toBe('Line');
    expect(formatSeriesValue('inverter.mode', 'B')).toBe('Battery');
  });

  it('says what a boolean means', () => {
    expect(formatSeriesValue('relay.gridConnected', true)).toBe('Connected');
    expect(formatSeriesValue('relay.gridConnected', false)).toBe('Disconnected');
    expect(formatSeriesValue('bms.chargeMosOn', false)).toBe('Off');
  });
});

describe('times', () => {
  it('ages in the largest unit that fits', () => {
    expect(formatAge(500)).toBe('now');
    expect(formatAge(12_000)).toBe(nb('12 s ago'));
    expect(formatAge(5 * 60_000)).toBe(nb('5 min ago'));
    expect(formatAge(3 * 3_600_000)).toBe(nb('3 h ago'));
    expect(formatAge(3 * 86_400_000)).toBe(nb('3 d ago'));
  });

  it('durations as days and hours, hours and minutes', () => {
    expect(formatDuration(3 * 86_400 + 4 * 3600 + 59)).toBe(nb('3 d 4 h'));
    expect(formatDuration(2 * 3600 + 5 * 60)).toBe(nb('2 h 5 min'));
    expect(formatDuration(42)).toBe(nb('42 s'));
  });

  it('axis ticks: time of day for a day, dates for a month, months for years', () => {
    expect(tickFormatOptions(3_600_000)).toHaveProperty('minute');
    expect(tickFormatOptions(30 * 86_400_000)).toHaveProperty('day');
    expect(tickFormatOptions(365 * 86_400_000)).toHaveProperty('year');
  });
});
