import { describe, expect, it } from 'vitest';
import type { FieldValue } from '../../shared/samples';
import { computeFlow, cycleSeconds, edgeFromSigned } from './flow';

const live = (values: Record<string, FieldValue>) => (series: string) => values[series];

describe('energy flow directions', () => {
  it('a sunny afternoon: PV in, house fed, battery charging, grid exporting', () => {
    const flow = computeFlow(
      live({
        'inverter.pvPowerW': 2400,
        'inverter.acOutputActivePowerW': 600,
        'inverter.batteryPowerW': 1500,
        'meter.activePowerW': -250,
        'relay.gridConnected': true,
      }),
    );
    expect(flow.pv).toMatchObject({ watts: 2400, direction: 'forward' });
    expect(flow.load).toMatchObject({ watts: 600, direction: 'forward' });
    expect(flow.battery).toMatchObject({ watts: 1500, direction: 'forward' });
    expect(flow.grid).toMatchObject({ watts: 250, direction: 'reverse', disconnected: false });
  });

  it('a night on the battery: it discharges, the grid imports nothing, the relay is open', () => {
    const flow = computeFlow(
      live({
        'inverter.pvPowerW': 0,
        'inverter.acOutputActivePowerW': 380,
        'inverter.batteryPowerW': -420,
        'meter.activePowerW': 3,
        'relay.gridConnected': false,
      }),
    );
    expect(flow.pv.direction).toBe('idle');
    expect(flow.battery).toMatchObject({ watts: 420, direction: 'reverse' });
    expect(flow.grid).toMatchObject({ direction: 'idle', disconnected: true, cycleS: 0 });
  });

  it('an open relay never animates the grid line, whatever the meter reads', () => {
    const flow = computeFlow(live({ 'meter.activePowerW': 900, 'relay.gridConnected': false }));
    expect(flow.grid.direction).toBe('idle');
    expect(flow.grid.cycleS).toBe(0);
  });

  it('uses the BMS current and voltage when the inverter gives no battery power', () => {
    const flow = computeFlow(live({ 'bms.currentA': -10, 'bms.totalVoltageV': 52 }));
    expect(flow.battery).toMatchObject({ watts: 520, direction: 'reverse' });
  });

  it('says unknown, not zero, when a device has not reported', () => {
    const flow = computeFlow(live({}));
    for (const edge of [flow.pv, flow.load, flow.battery, flow.grid]) expect(edge).toMatchObject({ watts: null, direction: 'unknown', cycleS: 0 });
  });

  it('shows negative PV or load readings (sensor offset) as idle rather than flowing backwards', () => {
    const flow = computeFlow(live({ 'inverter.pvPowerW': -12, 'inverter.acOutputActivePowerW': -3 }));
    expect(flow.pv.direction).toBe('idle');
    expect(flow.load.direction).toBe('idle');
  });
});

describe('dash speed', () => {
  it('is still below the noise floor', () => {
    expect(edgeFromSigned(4).direction).toBe('idle');
    expect(cycleSeconds(4)).toBe(0);
  });

  it('gets faster with power and stays within 0.4 to 3 s', () => {
    const speeds = [10, 100, 500, 1000, 3000, 6000, 50_000].map(cycleSeconds);
    for (let i = 1; i < speeds.length; i++) expect(speeds[i]).toBeLessThanOrEqual(speeds[i - 1]!);
    expect(speeds[0]).toBeGreaterThan(speeds[4]! * 2);
    for (const s of speeds) {
      expect(s).toBeGreaterThanOrEqual(0.4);
      expect(s).toBeLessThanOrEqual(3);
    }
  });
});
