/**
 * Synthetic but realistic samples for the store benchmarks: what the drivers emit with their default poll
 * plans (inverter QPIGS every second, QMOD/QPIWS every 5 s, QPIRI and Q1 every minute; a BMS cycle of nine
 * data ids every second; one SDM230 reading every second), with a sun curve, a house load and 16 cells.
 * Helper module: running it does nothing.
 */
import type { Sample } from '../src/shared/samples.js';

const DAY_S = 86_400;

/** Small fast deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (v: number, decimals: number): number => Math.round(v * 10 ** decimals) / 10 ** decimals;

/** PV power (W) at a second of the day: a 5 kW array, clear-sky bell with passing clouds. */
export function pvAt(secondOfDay: number, rnd: () => number): number {
  const x = (secondOfDay / DAY_S - 0.5) * 2.4; // daylight ~ 07:00-17:00 UTC
  const bell = Math.max(0, Math.cos(x * Math.PI / 2) ** 3) * 4200;
  return Math.round(bell * (0.85 + 0.15 * rnd()));
}

export function loadAt(secondOfDay: number, rnd: () => number): number {
  const base = 250 + 150 * Math.sin((secondOfDay / DAY_S) * 2 * Math.PI);
  return Math.round(base + (rnd() < 0.01 ? 2000 : 0) + 80 * rnd());
}

/** Every sample the drivers would emit in the second starting at tsMs. */
export function samplesForSecond(tsMs: number, rnd: () => number): Sample[] {
  const second = Math.floor(tsMs / 1000);
  const secondOfDay = second % DAY_S;
  const pv = pvAt(secondOfDay, rnd);
  const load = loadAt(secondOfDay, rnd);
  const batteryPowerW = pv - load;
  const batteryV = round(52.4 + batteryPowerW / 4000 + rnd() * 0.05, 2);
  const out: Sample[] = [
    {
      device: 'inverter',
      tsMs,
      source: 'QPIGS',
      values: {
        gridVoltageV: 0,
        gridFrequencyHz: 0,
        acOutputVoltageV: round(229.5 + rnd(), 1),
        acOutputFrequencyHz: 50,
        acOutputApparentPowerVA: Math.round(load * 1.1),
        acOutputActivePowerW: load,
        outputLoadPct: Math.round(load / 50),
        busVoltageV: 380 + Math.round(rnd() * 4),
        batteryVoltageV: batteryV,
        batteryChargingCurrentA: Math.max(0, Math.round(batteryPowerW / batteryV)),
        batteryCapacityPct: 70,
        heatSinkTemperatureC: 35 + Math.round(rnd() * 3),
        pvInputCurrentA: round(pv / 300, 1),
        pvInputVoltageV: pv > 0 ? round(300 + rnd() * 20, 1) : 0,
        batteryVoltageFromSccV: batteryV,
        batteryDischargeCurrentA: Math.max(0, Math.round(-batteryPowerW / batteryV)),
        pvChargingPowerW: pv,
        pvPowerW: pv,
        batteryPowerW,
        'deviceStatus.loadOn': true,
        'deviceStatus.charging': batteryPowerW > 0,
        fanOffsetVoltageV: 0,
        eepromVersion: '00',
      },
    },
    { device: 'meter', tsMs: tsMs + 120, source: 'read', values: { voltageV: round(231 + rnd() * 2, 2), currentA: round(0.1 + rnd() * 0.05, 3), activePowerW: round(rnd() * 4 - 2, 2), apparentPowerVA: 25, reactivePowerVar: -20, powerFactor: 0.1, frequencyHz: 50, importActiveEnergyKwh: 1138.66, exportActiveEnergyKwh: 0 } },
  ];
  const soc = round(60 + 20 * Math.sin(second / 40_000), 1);
  const cells = Array.from({ length: 16 }, (_, i) => round(3.28 + batteryPowerW / 64_000 + i * 0.001 + rnd() * 0.004, 3));
  const bms: Array<[string, Sample['values']]> = [
    ['0x94', { cellCount: 16, temperatureSensorCount: 4, chargerConnected: false, loadConnected: false, dioBits: 0, cycleCount: 112 }],
    ['0x90', { totalVoltageV: round(batteryV + 0.1, 1), acquisitionVoltageV: 0, currentA: round(batteryPowerW / batteryV, 1), socPct: soc }],
    ['0x91', { maxCellVoltageV: Math.max(...cells), maxCellNumber: 16, minCellVoltageV: Math.min(...cells), minCellNumber: 1 }],
    ['0x92', { maxTemperatureC: 24, maxTemperatureSensor: 1, minTemperatureC: 22, minTemperatureSensor: 3 }],
    ['0x93', { state: batteryPowerW > 50 ? 'charging' : batteryPowerW < -50 ? 'discharging' : 'idle', chargeMosOn: true, dischargeMosOn: true, bmsLifeCycles: 12, remainingCapacityAh: round(2.8 * soc, 1) }],
    ['0x95', Object.fromEntries(cells.map((v, i) => [`cellVoltagesV[${i}]`, v]))],
    ['0x96', { 'temperaturesC[0]': 23, 'temperaturesC[1]': 22, 'temperaturesC[2]': 24, 'temperaturesC[3]': 23 }],
    ['0x97', { balanceBitsHex: '0000000000000000', balancingCells: '' }],
    ['0x98', { alarmBytesHex: '00000000000000', activeAlarms: '', faultCode: 0 }],
  ];
  // The driver's default plan: live values every second, cells every 5 s, the slow tables every 10 s,
  // all replies of one cycle stamped with the cycle's start so they share one row.
  const due = (source: string): boolean =>
    ['0x90', '0x93'].includes(source) || (['0x91', '0x95'].includes(source) ? second % 5 === 0 : second % 10 === 0);
  for (const [source, values] of bms) if (due(source)) out.push({ device: 'bms', tsMs: tsMs + 200, source, values });
  if (second % 5 === 0) {
    out.push({ device: 'inverter', tsMs: tsMs + 700, source: 'QMOD', values: { mode: 'battery', modeName: 'Battery' } });
    out.push({ device: 'inverter', tsMs: tsMs + 800, source: 'QPIWS', values: { warningBits: '1'.padEnd(36, '0'), severity: 'ok', legacyStatus: 'OK' } });
  }
  if (second % 60 === 0) {
    out.push({
      device: 'inverter',
      tsMs: tsMs + 900,
      source: 'QPIRI',
      values: { gridRatingVoltageV: 230, batteryRechargeVoltageV: 51.2, batteryUnderVoltageV: 44, batteryBulkVoltageV: 55.2, batteryFloatVoltageV: 55.1, batteryType: 'user', maxAcChargingCurrentA: 30, maxChargingCurrentA: 60, outputSourcePriority: 'sbu', chargerSourcePriority: 'solarOnly', batteryRedischargeVoltageV: 0 },
    });
    out.push({ device: 'inverter', tsMs: tsMs + 950, source: 'Q1', values: { timeUntilAbsorbEndS: 0, sccOkFlag: 1, inverterTemperatureC: 40, fanSpeedPct: 30 } });
  }
  return out;
}
