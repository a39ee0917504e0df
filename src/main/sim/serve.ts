/**
 * Runs a ServePlan: the installation, each device on its pty and/or TCP port, and a ready line per
 * device as soon as it can be opened. Everything it started is stopped by `close()`.
 */
import type { DeviceSimulator } from './devices/device-simulator.js';
import { exposeOnPty } from './devices/pty.js';
import { serveTcp } from './devices/tcp-server.js';
import { createSimulatedInstallation, type SimulatedInstallation } from './installation.js';
import type { DevicePlan, ServePlan } from './serve-plan.js';

/** One line of `voltmon simulate`'s stdout. */
export interface DeviceReadyLine {
  device: DevicePlan['device'];
  protocol: DevicePlan['protocol'];
  path?: string;
  baud: number;
  address?: number;
  tcpHost?: string;
  tcpPort?: number;
}

export interface RunningSimulation {
  installation: SimulatedInstallation;
  close(): Promise<void>;
}

export async function serveSimulation(plan: ServePlan, onReady: (line: DeviceReadyLine) => void): Promise<RunningSimulation> {
  const installation = createSimulatedInstallation({
    seed: plan.seed,
    startTsMs: plan.startTsMs,
    speed: plan.speed,
    plant: {
      ...(plan.timeZone ? { timeZone: plan.timeZone } : {}),
      ...(plan.ratedCapacityAh ? { battery: { ratedCapacityAh: plan.ratedCapacityAh } } : {}),
    },
    inverter: { baud: baudOf(plan, 'inverter') },
    bms: { ...plan.devices.find((d) => d.device === 'bms')?.bms, baud: baudOf(plan, 'bms') },
    meter: { ...plan.devices.find((d) => d.device === 'meter')?.meter, baud: baudOf(plan, 'meter') },
  });
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    installation.close();
    await Promise.allSettled(closers.splice(0).map((c) => c()));
  };
  try {
    for (const device of plan.devices) {
      const simulator: DeviceSimulator = installation[device.device];
      let path: string | undefined;
      let tcp: { tcpHost: string; tcpPort: number } | undefined;
      if (device.pty) {
        const pty = await exposeOnPty(simulator, device.pty);
        closers.push(() => pty.close());
        path = pty.clientPath;
      }
      if (device.tcp) {
        const server = await serveTcp(simulator, device.tcp);
        closers.push(() => server.close());
        tcp = { tcpHost: server.host, tcpPort: server.port };
      }
      onReady({
        device: device.device,
        protocol: device.protocol,
        ...(path === undefined ? {} : { path }),
        baud: device.baud,
        ...(device.slaveId === undefined ? {} : { address: device.slaveId }),
        ...tcp,
      });
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { installation, close };
}

const baudOf = (plan: ServePlan, device: DevicePlan['device']): number | undefined => plan.devices.find((d) => d.device === device)?.baud;
