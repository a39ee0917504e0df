/** Builds the device drivers an instance owns from its config and the byte links it was given. */
import type { EngineEvent } from '../../shared/events.js';
import type { VoltmonConfig } from '../../shared/config.js';
import { BmsDriver } from '../devices/bms/index.js';
import { InverterDriver } from '../devices/inverter/index.js';
import { MbmdDriver, Sdm230Driver } from '../devices/meter/index.js';
import { createRelayDriver, sysfsLine, type OpenLine, type RelayDriver, type RelayPolarity } from '../devices/relay/index.js';
import type { DeviceDriver } from '../devices/types.js';
import type { Transport } from '../transport/types.js';
import type { PeerRelay } from './peers.js';

export interface DeviceSet {
  inverter: InverterDriver | null;
  bms: BmsDriver | null;
  meter: Sdm230Driver | MbmdDriver | null;
  /** The relay on this machine's GPIO, which this process must leave connected on exit. */
  localRelay: RelayDriver | null;
  /** The relay a peer owns, switched through its API. */
  peerRelay: PeerRelay | null;
  /** Every driver, the relay first (it must be in its safe state before anything else runs). */
  all: DeviceDriver[];
}

export interface DeviceSources {
  inverter?: Transport;
  bms?: Transport;
  /** A Modbus link to the SDM230; absent when the config reads the meter through mbmd. */
  meter?: Transport;
  relayLine?: { open: OpenLine; polarity: RelayPolarity };
}

export interface BuildOptions {
  /** The relay the named peer owns, switched through its API; absent when the config has no peers. */
  peerRelay?: (peerName: string) => PeerRelay | null;
  /** Below this the relay's own battery guard connects the grid (the controller's gridRelayOnV). */
  batteryGuardBelowV: number;
  onEvent: (event: EngineEvent) => void;
}

/**
 * The byte links of the configured devices (serial, TCP, hidraw) and the relay's GPIO line. The
 * transport factory (and serialport with it) is loaded only here: a simulation never needs it.
 */
export async function sourcesFromConfig(config: VoltmonConfig): Promise<DeviceSources> {
  const { createTransport } = await import('../transport/factory.js');
  const { inverter, bms, meter } = config.devices;
  const relay = config.relay;
  return {
    inverter: inverter ? createTransport(inverter.transport) : undefined,
    bms: bms ? createTransport(bms.transport) : undefined,
    meter: meter && meter.transport.type !== 'mbmd' ? createTransport(meter.transport) : undefined,
    relayLine: relay?.type === 'gpio' ? { open: sysfsLine(relay.bcmLine), polarity: relay.polarity } : undefined,
  };
}

export function buildDevices(config: VoltmonConfig, sources: DeviceSources, options: BuildOptions): DeviceSet {
  const { inverter: inverterConfig, bms: bmsConfig, meter: meterConfig } = config.devices;
  const inverter =
    inverterConfig && sources.inverter
      ? new InverterDriver({ transport: sources.inverter, poll: inverterConfig.poll, replyTimeoutMs: inverterConfig.replyTimeoutMs })
      : null;
  const bms =
    bmsConfig && sources.bms
      ? new BmsDriver({
          transport: sources.bms,
          address: bmsConfig.address,
          currentSign: bmsConfig.currentSign,
          pollMs: bmsConfig.pollMs,
          cellsPollMs: bmsConfig.cellsPollMs,
          statusPollMs: bmsConfig.statusPollMs,
          replyTimeoutMs: bmsConfig.replyTimeoutMs,
        })
      : null;

  let meter: Sdm230Driver | MbmdDriver | null = null;
  if (meterConfig && sources.meter) {
    meter = new Sdm230Driver({ transport: sources.meter, slaveId: meterConfig.slaveId, pollMs: meterConfig.pollMs, replyTimeoutMs: meterConfig.replyTimeoutMs });
  } else if (meterConfig?.transport.type === 'mbmd') {
    const { url, meterId, endpoint } = meterConfig.transport;
    meter = new MbmdDriver({ url, meterId, endpoint, pollMs: meterConfig.pollMs, timeoutMs: meterConfig.replyTimeoutMs });
  }

  const relayConfig = config.relay;
  let localRelay: RelayDriver | null = null;
  let peerRelay: PeerRelay | null = null;
  if (relayConfig?.type === 'gpio' && sources.relayLine) {
    localRelay = createRelayDriver({
      openLine: sources.relayLine.open,
      polarity: sources.relayLine.polarity,
      description: `grid relay on GPIO ${relayConfig.bcmLine} (${sources.relayLine.polarity})`,
      watchdogTimeoutMs: relayConfig.watchdog ? relayConfig.watchdog.timeoutS * 1000 : undefined,
      batteryGuard: { belowV: options.batteryGuardBelowV },
      onEvent: options.onEvent,
    });
  } else if (relayConfig?.type === 'peer') {
    peerRelay = options.peerRelay?.(relayConfig.peer) ?? null;
  }

  const all: DeviceDriver[] = [localRelay, peerRelay, inverter, bms, meter].filter((d): d is NonNullable<typeof d> => d !== null);
  return { inverter, bms, meter, localRelay, peerRelay, all };
}
