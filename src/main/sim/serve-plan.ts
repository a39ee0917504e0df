/**
 * What `voltmon simulate` serves, worked out from its flags and (optionally) a voltmon.yaml: the
 * simulated devices match what that config's daemon expects (slave id, BMS host address, current sign,
 * baud, battery size, time zone) and appear where it will look for them (the serial path as a pty
 * symlink, the TCP port). Pure, so it is tested without ptys.
 */
import type { VoltmonConfig } from '../../shared/config.js';
import type { Result } from '../../shared/result.js';
import type { BmsSimulatorOptions } from './devices/bms-simulator.js';
import type { MeterSimulatorOptions } from './devices/meter-simulator.js';

export type SimDeviceName = 'inverter' | 'bms' | 'meter';

export interface DevicePlan {
  device: SimDeviceName;
  protocol: 'pi30' | 'daly' | 'sdm230';
  baud: number;
  /** Serve on a pty; `link` names a symlink to create for it. */
  pty: { link?: string } | null;
  /** Serve on TCP; port 0 picks a free one. */
  tcp: { host: string; port: number } | null;
  /** The meter's slave id (printed as `address`). */
  slaveId?: number;
  bms?: Pick<BmsSimulatorOptions, 'hostAddresses' | 'currentSign'>;
  meter?: Pick<MeterSimulatorOptions, 'slaveId'>;
}

export interface ServePlan {
  seed: number;
  speed: number;
  startTsMs: number;
  timeZone?: string;
  ratedCapacityAh?: number;
  devices: DevicePlan[];
  /** Things the person should know (a transport the simulator cannot offer, replaced by a pty). */
  notes: string[];
}

export interface SimulateFlags {
  seed: number;
  speed: number;
  startTsMs: number;
  tcp: boolean;
}

const PROTOCOL = { inverter: 'pi30', bms: 'daly', meter: 'sdm230' } as const;
const DEFAULT_BAUD = { inverter: 2400, bms: 9600, meter: 9600 } as const;
const TCP_ANY = { host: '127.0.0.1', port: 0 };

export function planSimulation(flags: SimulateFlags, config: VoltmonConfig | null): Result<ServePlan, string> {
  const base = { seed: flags.seed, speed: flags.speed, startTsMs: flags.startTsMs };
  if (!config) {
    const devices = (['inverter', 'bms', 'meter'] as const).map((device) => ({
      device,
      protocol: PROTOCOL[device],
      baud: DEFAULT_BAUD[device],
      pty: {},
      tcp: flags.tcp ? TCP_ANY : null,
      ...(device === 'meter' ? { slaveId: 1, meter: { slaveId: 1 } } : {}),
    }));
    return { ok: true, value: { ...base, devices, notes: [] } };
  }
  const battery = config.battery;
  if (battery.chemistry !== 'lifepo4' || battery.cellsInSeries !== 16) {
    return { ok: false, error: `the simulator models a 16S LiFePO4 pack; the config has ${battery.cellsInSeries} ${battery.chemistry} cells` };
  }
  const notes: string[] = [];
  const devices: DevicePlan[] = [];
  for (const device of ['inverter', 'bms', 'meter'] as const) {
    const entry = config.devices[device];
    if (!entry) continue;
    const transport = entry.transport;
    const plan: DevicePlan = { device, protocol: PROTOCOL[device], baud: DEFAULT_BAUD[device], pty: null, tcp: null };
    if (transport.type === 'serial') {
      plan.baud = transport.baud;
      if (transport.path.startsWith('/dev/')) {
        notes.push(`${device}: ${transport.path} is a real device path; serving on a new pty instead`);
        plan.pty = {};
      } else {
        plan.pty = { link: transport.path };
      }
      if (flags.tcp) plan.tcp = TCP_ANY;
    } else if (transport.type === 'tcp') {
      plan.tcp = { host: transport.host, port: transport.port };
    } else {
      notes.push(`${device}: a ${transport.type} transport cannot be simulated; serving on a pty instead`);
      plan.pty = {};
      if (flags.tcp) plan.tcp = TCP_ANY;
    }
    if (device === 'bms' && config.devices.bms) {
      const bms = config.devices.bms;
      plan.bms = { hostAddresses: [bms.address], currentSign: bms.currentSign === 'positiveDischarging' ? 'inverted' : 'normal' };
    }
    if (device === 'meter' && config.devices.meter) {
      plan.slaveId = config.devices.meter.slaveId;
      plan.meter = { slaveId: config.devices.meter.slaveId };
    }
    devices.push(plan);
  }
  if (devices.length === 0) return { ok: false, error: 'the config names no inverter, bms or meter under devices: nothing to simulate' };
  return {
    ok: true,
    value: { ...base, timeZone: config.site.timeZone, ratedCapacityAh: battery.capacityAh, devices, notes },
  };
}
