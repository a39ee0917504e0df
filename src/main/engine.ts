/**
 * The composition root: config -> devices -> store -> sync -> control -> API. Every sample goes once
 * through the bus to the live state, the store, the controller and the stream. `stop()` leaves the grid
 * connected first, then stops the drivers, the sync and the server, and commits the last batch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { VoltmonConfig } from '../shared/config.js';
import type { EngineEvent } from '../shared/events.js';
import type { DeviceKind, LinkState } from '../shared/samples.js';
import { createApiServer, type ApiServer, type ListenAddress } from './api/index.js';
import { openTokenStore, type TokenStore } from './auth/token-store.js';
import { auditEvent } from './control/audit.js';
import { createCommandQueue, type CommandQueue } from './control/command-queue.js';
import { createController, type Controller } from './control/controller.js';
import { batteryLimits } from './control/limits.js';
import { resolveThresholds } from './control/thresholds.js';
import { connectGridOnExit } from './devices/relay/index.js';
import type { DeviceDriver } from './devices/types.js';
import { AlarmTracker } from './engine/alarm-events.js';
import { createApiPorts } from './engine/api-ports.js';
import { EngineBus } from './engine/bus.js';
import { buildDevices, sourcesFromConfig, type DeviceSet, type DeviceSources } from './engine/devices.js';
import { LiveState } from './engine/live-state.js';
import { packageInfo } from './engine/package-info.js';
import type { PeerClient, PeerWatch } from './engine/peers.js';
import { createSimulation, type Simulation } from './engine/simulation.js';
import { openStore, type LocalStore } from './store/index.js';
import type { MariadbSync } from './store/mariadb/index.js';

export interface EngineOptions {
  config: VoltmonConfig;
  dataDir: string;
  /** Run the plant simulator with device simulators on memory links instead of the configured ports. */
  simulate?: boolean;
  logger: Logger;
  /** Overrides api.host / api.port of the config. */
  host?: string;
  port?: number;
  /** Overrides mariadb.url of the config. */
  mariadbUrl?: string;
  /** The built renderer; default: dist/renderer of this package, if built. */
  staticRoot?: string | null;
  now?: () => number;
}

export interface Engine {
  readonly address: ListenAddress;
  readonly storePath: string;
  readonly tokens: TokenStore;
  readonly bus: EngineBus;
  readonly devices: DeviceSet;
  readonly simulation: Simulation | null;
  stop(): Promise<void>;
}

export class EngineStartError extends Error {
  override readonly name = 'EngineStartError';
}

const STOP_STEP_MS = 3000;

/** Runs one shutdown step with a deadline, so a stuck part cannot keep the process from exiting. */
async function step(log: Logger, what: string, run: () => Promise<unknown> | unknown): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(run),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${STOP_STEP_MS} ms`)), STOP_STEP_MS);
      }),
    ]);
  } catch (err) {
    log.warn({ err }, `stopping: ${what} failed`);
  } finally {
    clearTimeout(timer);
  }
}

export async function startEngine(options: EngineOptions): Promise<Engine> {
  const { config, logger: log } = options;
  const now = options.now ?? Date.now;
  const simulate = options.simulate ?? false;
  const startedMs = now();
  const info = packageInfo();

  const thresholds = resolveThresholds(config.controller.thresholds);
  if (!thresholds.ok) throw new EngineStartError(`controller.thresholds: ${thresholds.error.join('; ')}`);

  const simulation = simulate ? createSimulation({ dataDir: options.dataDir, timeZone: config.site.timeZone, now }) : null;
  const sources: DeviceSources = simulation
    ? {
        inverter: config.devices.inverter ? simulation.inverter.transport : undefined,
        bms: config.devices.bms ? simulation.bms.transport : undefined,
        meter: config.devices.meter ? simulation.meter.transport : undefined,
        relayLine: config.relay?.type === 'gpio' ? { open: simulation.relayLine, polarity: 'activeHigh' } : undefined,
      }
    : await sourcesFromConfig(config);
  // mysql2 costs ~15 MB of RSS: loaded only when a database is configured.
  const mariadbUrl = options.mariadbUrl ?? config.mariadb?.url;
  const mariadb = mariadbUrl ? await import('./store/mariadb/index.js') : null;

  const tokens = openTokenStore(options.dataDir);
  const storePath = config.store.path ?? join(options.dataDir, simulate ? 'simulated.db' : 'voltmon.db');
  let store: LocalStore;
  try {
    store = openStore({
      path: storePath,
      timeZone: config.site.timeZone,
      batchMs: config.store.batchMs,
      retention: config.store.retentionDays,
      outbox: mariadbUrl !== undefined,
      onError: (err) => log.error({ code: err.code }, err.message),
    });
  } catch (err) {
    tokens.close();
    throw err;
  }

  const bus = new EngineBus((topic, err) => log.error({ err, topic }, 'a consumer of the engine bus failed'));
  const live = new LiveState();
  live.seed(store.latest());

  let fallbackEventId = 0;
  const recordEvent = (event: EngineEvent): void => {
    let id: number;
    try {
      id = store.appendEvent(event);
    } catch (err) {
      log.error({ err }, 'event not stored');
      id = --fallbackEventId;
    }
    bus.emit('event', { ...event, id });
  };

  // Peers, and the response schemas that check their answers, are loaded only when the config names one
  // (~1 MB of heap a single-Pi installation never needs).
  const peerModule = config.peers.length > 0 ? await import('./engine/peers.js') : null;
  const peers = new Map<string, PeerClient>(peerModule ? config.peers.map((p) => [p.name, peerModule.createPeerClient(p)]) : []);
  const peerRelay = (name: string) => {
    const client = peers.get(name);
    return client && peerModule ? peerModule.createPeerRelay({ client }) : null;
  };
  const devices = buildDevices(config, sources, { peerRelay, batteryGuardBelowV: thresholds.value.gridRelayOnV, onEvent: recordEvent });

  const queue: CommandQueue = createCommandQueue({
    inverter: devices.inverter ?? undefined,
    relay: devices.localRelay ?? devices.peerRelay ?? undefined,
    limits: batteryLimits(config.battery),
    audit: (record) => recordEvent(auditEvent(record)),
  });
  const controller: Controller = createController({
    queue,
    timeZone: config.site.timeZone,
    mode: config.controller.mode,
    thresholds: config.controller.thresholds,
    onEvent: recordEvent,
    settings: store,
  });
  queue.attachController(controller);

  const alarms = new AlarmTracker();
  bus.on('sample', (sample) => {
    live.update(sample);
    for (const event of alarms.observe(sample)) recordEvent(event);
    devices.localRelay?.observe(sample);
    controller.onSample(sample).catch((err: unknown) => log.error({ err }, 'the controller failed on a sample'));
    store.append(sample);
  });
  wireDrivers(devices.all, bus, live, recordEvent, now);

  let watchdog: PeerWatch | null = null;
  const relayConfig = config.relay;
  if (relayConfig?.type === 'gpio' && relayConfig.watchdog && devices.localRelay) {
    const relay = devices.localRelay;
    const client = peers.get(relayConfig.watchdog.peer);
    if (client && peerModule) {
      watchdog = peerModule.watchPeer({
        client,
        pollMs: relayConfig.watchdog.pollS * 1000,
        onAlive: () => relay.loggerHeartbeat(),
        onSample: config.peers.find((p) => p.name === client.name)?.token ? (s) => relay.observe(s) : undefined,
        now,
      });
    }
  }

  const sync: MariadbSync | null =
    mariadb && mariadbUrl
      ? mariadb.createSync({
          url: mariadbUrl,
          site: config.site.name,
          outbox: store.outbox,
          logger: { info: (m) => log.info({ component: 'sync' }, m), warn: (m) => log.warn({ component: 'sync' }, m) },
        })
      : null;

  const ports = createApiPorts({
    site: config.site.name,
    version: info.version,
    simulated: simulate,
    startedMs,
    store,
    live,
    bus,
    devices: () => devices.all,
    controller,
    queue,
    sync: () => sync?.status() ?? null,
    recordEvent,
    now,
  });

  let api: ApiServer | null = null;
  let removeExitHook: (() => void) | null = null;
  const stopParts = async (): Promise<void> => {
    const relay = devices.localRelay;
    if (relay) await step(log, 'relay safe state', () => relay.failSafe('voltmon is stopping'));
    simulation?.stop();
    if (watchdog) await step(log, 'peer watchdog', () => watchdog?.stop());
    for (const driver of [...devices.all].reverse()) await step(log, `${driver.kind} driver`, () => driver.stop());
    if (sync) await step(log, 'MariaDB sync', () => sync.stop());
    if (api) await step(log, 'API server', () => api?.close());
    await step(log, 'store', () => {
      store.flush();
      store.close();
    });
    tokens.close();
    removeExitHook?.();
  };

  try {
    if (devices.localRelay) {
      await devices.localRelay.start();
      removeExitHook = connectGridOnExit(devices.localRelay);
    }
    api = await createApiServer({
      ports,
      auth: tokens,
      version: info.version,
      staticRoot: options.staticRoot === undefined ? info.rendererDir : options.staticRoot,
      corsOrigins: config.api.corsOrigins,
      kioskPin: config.api.kioskPin,
      requestsPerMinute: config.api.requestsPerMinute,
      tls: config.api.tls ? { cert: readFileSync(config.api.tls.cert), key: readFileSync(config.api.tls.key) } : undefined,
      // Fastify's own info lines ("Server listening at") would add a second start-up line: warnings only, unless debugging.
      logger: log.child({ component: 'api' }, { level: log.isLevelEnabled('debug') ? log.level : 'warn' }),
      now,
    });
    const address = await api.listen(options.host ?? config.api.host, options.port ?? config.api.port);
    simulation?.start();
    for (const driver of devices.all) if (driver !== devices.localRelay) await driver.start();
    watchdog?.start();
    sync?.start();
    recordEvent({ tsMs: now(), kind: 'system', message: `voltmon ${info.version} started${simulate ? ' (simulated plant)' : ''}`, data: { site: config.site.name } });

    let stopping: Promise<void> | null = null;
    return {
      address,
      storePath,
      tokens,
      bus,
      devices,
      simulation,
      stop() {
        stopping ??= (async () => {
          recordEvent({ tsMs: now(), kind: 'system', message: 'voltmon stopping' });
          await stopParts();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await stopParts();
    throw err;
  }
}

/** Samples, link changes and driver events of every device onto the bus (link changes also as events). */
function wireDrivers(
  drivers: readonly DeviceDriver[],
  bus: EngineBus,
  live: LiveState,
  recordEvent: (event: EngineEvent) => void,
  now: () => number,
): void {
  for (const driver of drivers) {
    const device: DeviceKind = driver.kind;
    live.setLink(device, driver.linkState());
    let lastSettled: LinkState | null = null;
    driver.onSample((sample) => bus.emit('sample', sample));
    driver.onLinkState((state, reason) => {
      live.setLink(device, state);
      bus.emit('link', { device, state, reason, tsMs: now() });
      // 'connecting' is a passing state; only arriving online or going offline is worth an event.
      if (state === 'connecting' || state === lastSettled) return;
      if (lastSettled === null && state === 'online') {
        lastSettled = state;
        return;
      }
      lastSettled = state;
      recordEvent({ tsMs: now(), kind: 'link', device, message: `${device} ${state}${reason ? `: ${reason}` : ''}`, data: { state, reason } });
    });
    driver.onEvent?.(recordEvent);
  }
}
