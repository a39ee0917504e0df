import { describe, expect, it } from 'vitest';
import { parseConfig, type VoltmonConfig } from '../src/shared/config.js';
import { applySimControl, parseSimControl } from '../src/main/sim/control-channel.js';
import { createSimulatedInstallation } from '../src/main/sim/index.js';
import { planSimulation } from '../src/main/sim/serve-plan.js';

const flags = { seed: 3, speed: 10, startTsMs: Date.UTC(2024, 5, 1), tcp: false };

function config(devices: Record<string, unknown>, battery: Record<string, unknown> = {}): VoltmonConfig {
  const parsed = parseConfig({
    site: { name: 'test', timeZone: 'Europe/Vienna' },
    battery: { chemistry: 'lifepo4', cellsInSeries: 16, capacityAh: 300, cellMinV: 2.8, cellMaxV: 3.6, ...battery },
    devices,
  });
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  return parsed.value;
}

describe('voltmon simulate: what it serves', () => {
  it('serves all three devices on ptys without a config, and on TCP too with --tcp', () => {
    const plan = planSimulation(flags, null);
    expect(plan.ok && plan.value.devices.map((d) => [d.device, d.protocol, d.baud, d.pty !== null, d.tcp])).toEqual([
      ['inverter', 'pi30', 2400, true, null],
      ['bms', 'daly', 9600, true, null],
      ['meter', 'sdm230', 9600, true, null],
    ]);
    const tcp = planSimulation({ ...flags, tcp: true }, null);
    expect(tcp.ok && tcp.value.devices.every((d) => d.tcp?.port === 0 && d.tcp.host === '127.0.0.1')).toBe(true);
  });

  it("matches a config's devices: slave id, BMS address and current sign, baud, paths, ports, battery size and zone", () => {
    const plan = planSimulation(
      flags,
      config({
        inverter: { transport: { type: 'serial', path: '/dev/ttyUSB0', baud: 2400 } },
        bms: { transport: { type: 'tcp', host: '127.0.0.1', port: 5020 }, address: 0x40, currentSign: 'positiveDischarging' },
        meter: { transport: { type: 'serial', path: '/tmp/sim/meter', baud: 19200 }, slaveId: 9 },
      }),
    );
    if (!plan.ok) throw new Error(plan.error);
    const [inverter, bms, meter] = plan.value.devices;
    // A real device path is never shadowed: a fresh pty instead, and a note saying so.
    expect(inverter).toMatchObject({ device: 'inverter', pty: {}, tcp: null });
    expect(plan.value.notes.join(' ')).toMatch(/\/dev\/ttyUSB0/);
    expect(bms).toMatchObject({ pty: null, tcp: { host: '127.0.0.1', port: 5020 }, bms: { hostAddresses: [0x40], currentSign: 'inverted' } });
    expect(meter).toMatchObject({ baud: 19200, pty: { link: '/tmp/sim/meter' }, slaveId: 9, meter: { slaveId: 9 } });
    expect(plan.value).toMatchObject({ timeZone: 'Europe/Vienna', ratedCapacityAh: 300 });
  });

  it('simulates only the devices the config names, and refuses a pack it cannot model', () => {
    const onlyMeter = planSimulation(flags, config({ meter: { transport: { type: 'mbmd', url: 'http://127.0.0.1:8080' } } }));
    expect(onlyMeter.ok && onlyMeter.value.devices.map((d) => d.device)).toEqual(['meter']);
    expect(onlyMeter.ok && onlyMeter.value.notes.join(' ')).toMatch(/mbmd/);
    const nmc = planSimulation(flags, config({ meter: { transport: { type: 'tcp', host: '127.0.0.1', port: 502 } } }, { chemistry: 'nmc', cellsInSeries: 14 }));
    expect(nmc.ok ? 'ok' : nmc.error).toMatch(/16S LiFePO4/);
    const none = planSimulation(flags, config({}));
    expect(none.ok ? 'ok' : none.error).toMatch(/nothing to simulate/);
  });
});

describe('voltmon simulate: commands on stdin', () => {
  it('accepts the documented commands and refuses anything else', () => {
    for (const line of [
      '{"device":"meter","fault":{"kind":"silence","durationMs":5000}}',
      '{"device":"inverter","fault":{"kind":"slow","delayMs":1500,"count":2}}',
      '{"device":"bms","sleepMs":3000}',
      '{"device":"bms","clearFaults":true}',
      '{"relay":"disconnected"}',
      '{"gridOutage":true}',
      '{"overrides":{"loadDemandW":4500,"pvAvailableW":null}}',
    ]) {
      expect(parseSimControl(line).ok, line).toBe(true);
    }
    for (const line of ['not json', '{}', '{"device":"meter","fault":{"kind":"explode"}}', '{"device":"meter","sleepMs":5}', '{"relay":"maybe"}', '{"overrides":{"loadDemandW":-1}}']) {
      expect(parseSimControl(line).ok, line).toBe(false);
    }
  });

  it('drives the installation: relay, outage, overrides, BMS sleep and faults', () => {
    const installation = createSimulatedInstallation({ seed: 1, startTsMs: Date.UTC(2024, 5, 1, 12), manualClock: true });
    try {
      const apply = (line: string) => {
        const command = parseSimControl(line);
        if (!command.ok) throw new Error(command.error);
        return applySimControl(installation, command.value);
      };
      apply('{"relay":"disconnected"}');
      expect(installation.plant.isGridConnected()).toBe(false);
      apply('{"gridOutage":true}');
      expect(installation.plant.meter.powered()).toBe(false);
      apply('{"overrides":{"loadDemandW":1234}}');
      expect(installation.plant.truth().loadDemandW).toBe(1234);
      apply('{"device":"bms","sleepMs":60000}');
      expect(installation.bms.asleep).toBe(true);
      expect(apply('{"device":"meter","fault":{"kind":"nak","count":2}}')).toMatch(/nak/);
    } finally {
      installation.close();
    }
  });
});
