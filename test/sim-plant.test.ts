import { describe, expect, it } from 'vitest';
import { createPlant, DEFAULT_BMS_LIMITS, FACTORY_SETTINGS, WARNING_BIT, type Plant } from '../src/main/sim/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const JUNE = Date.UTC(2024, 5, 1);
const DECEMBER = Date.UTC(2024, 11, 1);

/** A coarse trace: readings every 15 minutes for `days`. */
function trace(plant: Plant, days: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < days * 96; i++) {
    plant.step(15 * 60_000);
    const q = plant.inverter.qpigs();
    const b = plant.bms.readings();
    rows.push([plant.inverter.qmod(), q.batteryVoltageV, q.pvChargingPowerW, q.acOutputActivePowerW, b.socPct, b.cellVoltagesV.join('/')].join(' '));
  }
  return rows;
}

describe('plant model: determinism', () => {
  it('gives the same trace for the same seed and a different one for another seed', () => {
    const a = trace(createPlant({ seed: 42, startTsMs: JUNE }), 2);
    const b = trace(createPlant({ seed: 42, startTsMs: JUNE }), 2);
    const c = trace(createPlant({ seed: 43, startTsMs: JUNE }), 2);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('draws sky and household from the time, not from the step size', () => {
    const coarse = createPlant({ seed: 5, startTsMs: JUNE });
    const fine = createPlant({ seed: 5, startTsMs: JUNE, maxStepMs: 1000 });
    coarse.advanceTo(JUNE + 13 * HOUR);
    fine.advanceTo(JUNE + 13 * HOUR);
    expect(fine.truth().pvAvailableW).toBe(coarse.truth().pvAvailableW);
    expect(fine.truth().loadDemandW).toBe(coarse.truth().loadDemandW);
    expect(fine.truth().trueSocPct).toBeCloseTo(coarse.truth().trueSocPct, 0);
  });
});

describe('plant model: physics', () => {
  it('balances energy: PV + grid = load + losses + change of the energy stored in the cells', () => {
    for (const start of [JUNE, DECEMBER]) {
      const plant = createPlant({ seed: 9, startTsMs: start });
      plant.advanceTo(start + 5 * DAY);
      const e = plant.energy();
      const inflow = e.pvWh + e.gridImportWh;
      const accounted = e.loadServedWh + e.conversionLossWh + e.batteryInternalLossWh + (e.batteryStoredWh - e.batteryStoredAtStartWh);
      expect(inflow).toBeGreaterThan(5000);
      expect(Math.abs(inflow - accounted)).toBeLessThan(0.002 * inflow);
      // Losses are those of a real 5 kW unit: more than nothing, far less than the throughput.
      expect(e.conversionLossWh / inflow).toBeGreaterThan(0.05);
      expect(e.conversionLossWh / inflow).toBeLessThan(0.35);
    }
  });

  it('has no PV at night and the PV-loss flag set, and PV by day in summer', () => {
    const plant = createPlant({ seed: 3, startTsMs: JUNE });
    plant.advanceTo(JUNE + 0.5 * HOUR); // 02:30 local (CEST)
    expect(plant.truth().pvAvailableW).toBe(0);
    const night = plant.inverter.qpigs();
    expect(night.pvChargingPowerW).toBe(0);
    expect(night.pvInputVoltageV).toBe(0);
    expect(plant.inverter.qpiws()[WARNING_BIT.pvLoss]).toBe('1');
    let noonPeakW = 0;
    for (let day = 0; day < 7; day++) {
      plant.advanceTo(JUNE + day * DAY + 11 * HOUR);
      noonPeakW = Math.max(noonPeakW, plant.truth().pvAvailableW);
    }
    // ~4 kW array at 48° N: a clear June noon gives 3.5-4.5 kW.
    expect(noonPeakW).toBeGreaterThan(3000);
    expect(noonPeakW).toBeLessThan(4600);
  });

  it('keeps every cell inside the BMS limits for a month with the default settings', () => {
    for (const start of [Date.UTC(2024, 0, 1), JUNE]) {
      const plant = createPlant({ seed: 11, startTsMs: start });
      let minCell = Infinity;
      let maxCell = -Infinity;
      let minSoc = Infinity;
      let protectionTrips = 0;
      for (let t = start; t < start + 30 * DAY; t += 10 * 60_000) {
        plant.advanceTo(t);
        const b = plant.bms.readings();
        minCell = Math.min(minCell, b.minCellVoltageV);
        maxCell = Math.max(maxCell, b.maxCellVoltageV);
        minSoc = Math.min(minSoc, plant.truth().trueSocPct);
        if (!b.chargeMosOn || !b.dischargeMosOn) protectionTrips++;
      }
      expect(minCell).toBeGreaterThan(DEFAULT_BMS_LIMITS.cellUnderVoltageAlarmV);
      expect(maxCell).toBeLessThan(DEFAULT_BMS_LIMITS.cellOverVoltageAlarmV);
      expect(protectionTrips).toBe(0);
      expect(minSoc).toBeGreaterThan(3);
    }
  });

  it('runs a simulated year', () => {
    // One-minute steps keep the suite light; bench/sim-year.ts runs the default 10 s steps.
    const plant = createPlant({ seed: 1, startTsMs: Date.UTC(2024, 0, 1), maxStepMs: 60_000 });
    plant.advanceTo(Date.UTC(2025, 0, 1));
    const e = plant.energy();
    // Off-grid: PV is curtailed once the battery is full, so the yield is below the array's potential.
    expect(e.pvWh / 1000).toBeGreaterThan(1500);
    expect(e.pvWh / 1000).toBeLessThan(5000);
    expect(e.loadServedWh / 1000).toBeGreaterThan(1500);
    expect(plant.meter.readings().importActiveEnergyKwh).toBeCloseTo(1000 + e.gridImportWh / 1000, 3);
  });
});

describe('plant model: inverter behaviour', () => {
  it('changes settings only through commands and refuses what the firmware refuses', () => {
    const plant = createPlant({ seed: 1, startTsMs: JUNE });
    const before = plant.inverter.qpiri();
    expect(before.batteryFloatVoltageV).toBe(FACTORY_SETTINGS.batteryFloatVoltageV);
    expect(plant.inverter.applySetting('PBFT53.7')).toBe('ack');
    expect(plant.inverter.applySetting('PCVV58.4')).toBe('ack');
    expect(plant.inverter.applySetting('MCHGC040')).toBe('ack');
    expect(plant.inverter.applySetting('MNCHGC0110')).toBe('ack');
    expect(plant.inverter.applySetting('MUCHGC002')).toBe('ack');
    expect(plant.inverter.applySetting('PCP03')).toBe('ack');
    expect(plant.inverter.applySetting('PSDV44.0')).toBe('ack');
    expect(plant.inverter.applySetting('PBDV00.0')).toBe('ack');
    const after = plant.inverter.qpiri();
    expect(after).toMatchObject({
      batteryFloatVoltageV: 53.7,
      batteryBulkVoltageV: 58.4,
      maxChargingCurrentA: 110,
      maxAcChargingCurrentA: 2,
      chargerSourcePriority: 3,
      chargerSourcePriorityName: 'solarOnly',
      batteryUnderVoltageV: 44,
      batteryRedischargeVoltageV: 0,
    });
    for (const refused of [
      'PBFT58.5', // above 58.4 V
      'PCVV47.9', // below 48.0 V
      'PBFT53.70', // not nn.n
      'PCVV53.800000000000004', // what Python 3 str() produced
      'PBDV53', // not nn.n
      'PBCV51.5', // only whole volts 44-51
      'PBCV52.0',
      'PBDV47.0',
      'PSDV39.9',
      'MCHGC045', // not in QMCHGCR
      'MCHGC110', // 110 A needs MNCHGC
      'MUCHGC025',
      'POP03',
      'PCP04',
      'PEq', // unknown flag letter
      'XYZ',
      'QPIGS3',
    ]) {
      expect(plant.inverter.applySetting(refused), refused).toBe('nak');
    }
    expect(plant.inverter.qpiri()).toEqual(after);
  });

  it('sets the configuration-changed status bit on a setting and clears it when QPIRI is read', () => {
    const plant = createPlant({ seed: 1, startTsMs: JUNE });
    expect(plant.inverter.qpigs().deviceStatus.configurationChanged).toBe(false);
    plant.inverter.applySetting('POP01');
    expect(plant.inverter.qpigs().deviceStatus.configurationChanged).toBe(true);
    plant.inverter.qpiri();
    expect(plant.inverter.qpigs().deviceStatus.configurationChanged).toBe(false);
  });

  it('follows the output source priority: utility first runs on the line, SBU on the battery', () => {
    const plant = createPlant({ seed: 2, startTsMs: JUNE + 10 * HOUR, battery: { initialSocPct: 80 } });
    plant.step(60_000);
    expect(plant.inverter.qmod()).toBe('B');
    expect(plant.meter.readings().activePowerW).toBe(0);
    plant.inverter.applySetting('POP00');
    plant.step(60_000);
    expect(plant.inverter.qmod()).toBe('L');
    expect(plant.meter.readings().activePowerW).toBeGreaterThan(plant.inverter.qpigs().acOutputActivePowerW - 1);
    plant.setGridConnected(false);
    plant.step(60_000);
    expect(plant.inverter.qmod()).toBe('B');
    expect(plant.inverter.qpigs().gridVoltageV).toBe(0);
    expect(plant.inverter.qpiws()[WARNING_BIT.lineFail]).toBe('1');
  });

  it('charges from the grid at night only when the charger priority allows it', () => {
    const night = Date.UTC(2024, 5, 1, 21);
    const charging = (command: string) => {
      const plant = createPlant({ seed: 4, startTsMs: night, battery: { initialSocPct: 40 } });
      plant.inverter.applySetting('POP00');
      plant.inverter.applySetting(command);
      plant.step(5 * 60_000);
      return plant.inverter.qpigs();
    };
    const utilityFirst = charging('PCP00');
    expect(utilityFirst.deviceStatus.acCharging).toBe(true);
    expect(utilityFirst.batteryChargingCurrentA).toBeGreaterThan(20);
    expect(charging('PCP03').deviceStatus.acCharging).toBe(false);
    expect(charging('PCP03').batteryChargingCurrentA).toBe(0);
  });

  it('cuts the output at the cut-off voltage before the BMS has to protect the cells', () => {
    const plant = createPlant({ seed: 6, startTsMs: DECEMBER, battery: { initialSocPct: 12 }, grid: { relayConnected: false } });
    plant.setOverrides({ pvAvailableW: 0, loadDemandW: 3000 });
    let shutdown = false;
    for (let i = 0; i < 6 * 60 && !shutdown; i++) {
      plant.step(60_000);
      shutdown = plant.inverter.qmod() !== 'B';
    }
    expect(shutdown).toBe(true);
    expect(plant.inverter.qmod()).toBe('S');
    expect(plant.inverter.qpiws()[WARNING_BIT.batteryUnderShutdown]).toBe('1');
    expect(plant.inverter.qpigs().acOutputActivePowerW).toBe(0);
    const bms = plant.bms.readings();
    expect(bms.dischargeMosOn).toBe(true);
    expect(bms.minCellVoltageV).toBeGreaterThan(DEFAULT_BMS_LIMITS.cellUnderVoltageProtectV);
    // The grid comes back: the inverter feeds the house from the line again.
    plant.setGridConnected(true);
    plant.step(60_000);
    expect(plant.inverter.qmod()).toBe('L');
    expect(plant.inverter.qpigs().acOutputActivePowerW).toBe(3000);
  });

  it('stops charging when the charge MOS is switched off', () => {
    const plant = createPlant({ seed: 7, startTsMs: JUNE + 10 * HOUR, battery: { initialSocPct: 50 } });
    plant.setOverrides({ pvAvailableW: 3000, loadDemandW: 200 });
    plant.step(60_000);
    expect(plant.bms.readings().currentA).toBeGreaterThan(10);
    plant.bms.setChargeMos(false);
    plant.step(60_000);
    expect(plant.bms.readings().chargeMosOn).toBe(false);
    expect(plant.bms.readings().currentA).toBeLessThanOrEqual(0);
    expect(plant.inverter.qpigs().pvChargingPowerW).toBeLessThan(400);
  });

  it('takes the meter off the line during a grid outage', () => {
    const plant = createPlant({ seed: 8, startTsMs: JUNE, grid: { outages: [{ startMs: JUNE + HOUR, endMs: JUNE + 2 * HOUR }] } });
    plant.advanceTo(JUNE + 1.5 * HOUR);
    expect(plant.meter.powered()).toBe(false);
    expect(plant.inverter.qpigs().gridVoltageV).toBe(0);
    plant.advanceTo(JUNE + 2.5 * HOUR);
    expect(plant.meter.powered()).toBe(true);
    expect(plant.meter.readings().voltageV).toBeGreaterThan(220);
    expect(plant.meter.readings().voltageV).toBeLessThan(245);
  });
});
