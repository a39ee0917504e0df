/** The engine's side of the API: the store, live state, drivers, controller and command queue behind ApiPorts. */
import type { ControlResponse, HealthResponse, StreamMessage } from '../../shared/api.js';
import type { ControlAction, ControlOrigin } from '../../shared/control.js';
import type { EngineEvent } from '../../shared/events.js';
import type { ApiPorts, ControllerUpdate } from '../api/index.js';
import { ApiInputError } from '../api/index.js';
import type { CommandQueue } from '../control/command-queue.js';
import type { Controller } from '../control/controller.js';
import type { DeviceDriver } from '../devices/types.js';
import type { SyncStatus } from '../store/mariadb/index.js';
import { StoreInputError, type LocalStore } from '../store/index.js';
import type { EngineBus } from './bus.js';
import type { LiveState } from './live-state.js';

export interface ApiPortsDeps {
  site: string;
  version: string;
  simulated: boolean;
  startedMs: number;
  store: LocalStore;
  live: LiveState;
  bus: EngineBus;
  devices: () => readonly DeviceDriver[];
  controller: Controller;
  queue: CommandQueue;
  sync: () => SyncStatus | null;
  /** Stores an event and puts it on the bus. */
  recordEvent: (event: EngineEvent) => void;
  now: () => number;
}

/** A query the store refuses (a range it will not answer) is the client's mistake: 400, not 500. */
function asked<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof StoreInputError) throw new ApiInputError(err.message);
    throw err;
  }
}

export function createApiPorts(deps: ApiPortsDeps): ApiPorts & { control(action: ControlAction, origin: ControlOrigin): Promise<ControlResponse> } {
  let controlSeq = 0;

  const thresholds = (): Record<string, number> =>
    Object.fromEntries(Object.entries(deps.controller.thresholds()).filter((e): e is [string, number] => typeof e[1] === 'number'));

  const control = async (action: ControlAction, origin: ControlOrigin): Promise<ControlResponse> => {
    const outcome = await deps.queue.submit(action, origin);
    controlSeq += 1;
    const result: ControlResponse = { id: controlSeq, action, outcome };
    deps.bus.emit('control', result);
    return result;
  };

  return {
    health(): HealthResponse {
      const devices = deps.devices().map((d) => ({
        device: d.kind,
        link: d.linkState(),
        description: d.description,
        stats: d.stats(),
        lastSampleTsMs: deps.live.lastSampleTsMs(d.kind),
      }));
      const sync = deps.sync();
      const syncHealth = sync
        ? { enabled: sync.enabled, connected: sync.connected, backlog: sync.backlog, lastError: sync.lastError }
        : { enabled: false, connected: false, backlog: 0, lastError: null };
      const degraded = devices.some((d) => d.link !== 'online') || (sync !== null && !sync.connected);
      return {
        status: degraded ? 'degraded' : 'ok',
        site: deps.site,
        version: deps.version,
        uptimeS: Math.round((deps.now() - deps.startedMs) / 1000),
        simulated: deps.simulated,
        devices,
        sync: syncHealth,
        controller: { mode: deps.controller.mode() },
      };
    },
    live: () => deps.live.snapshot(deps.now()),
    history: (query) => asked(() => deps.store.history(query)),
    energy: (query) => asked(() => deps.store.energy(query)),
    events: (query) => asked(() => deps.store.events(query)),
    control,
    getController: () => ({ mode: deps.controller.mode(), thresholds: thresholds() }),
    async putController(update: ControllerUpdate, origin: ControlOrigin) {
      if (update.thresholds) {
        // Stored as overrides on top of the config's thresholds.
        const result = deps.controller.setThresholds(update.thresholds);
        if (!result.ok) return { ok: false, error: result.error.join('; ') };
        deps.recordEvent({
          tsMs: deps.now(),
          kind: 'controller',
          message: `${origin.kind} ${origin.name} changed the thresholds ${Object.keys(update.thresholds).join(', ')}`,
          data: { origin, thresholds: update.thresholds },
        });
      }
      if (update.mode && update.mode !== deps.controller.mode()) {
        const result = await control({ action: 'setController', value: update.mode }, origin);
        if (result.outcome.status === 'refused' || result.outcome.status === 'failed') return { ok: false, error: result.outcome.reason };
      }
      return { ok: true, value: { mode: deps.controller.mode(), thresholds: thresholds() } };
    },
    subscribe(listener: (message: StreamMessage) => void) {
      const offs = [
        deps.bus.on('sample', (sample) => listener({ type: 'sample', sample })),
        deps.bus.on('link', ({ device, state, tsMs }) => listener({ type: 'link', device, state, tsMs })),
        deps.bus.on('event', (event) => listener({ type: 'event', event })),
        deps.bus.on('control', (result) => listener({ type: 'control', result })),
      ];
      return () => offs.forEach((off) => off());
    },
  };
}
