/**
 * What the API needs from the rest of the engine, as small interfaces: the engine adapts the real
 * store, drivers, controller and command queue to them, and the API tests use fakes.
 */
import type {
  ControlResponse,
  ControllerSettingsResponse,
  EnergyResponse,
  EventsResponse,
  HealthResponse,
  HistoryResponse,
  LiveResponse,
  StreamMessage,
} from '../../shared/api.js';
import type { ControlAction, ControlOrigin } from '../../shared/control.js';
import type { Result } from '../../shared/result.js';
import type { Role } from '../auth/token-store.js';
import type { EnergyQuery, EventQuery, HistoryQuery } from '../store/types.js';

export interface ControllerUpdate {
  mode?: ControllerSettingsResponse['mode'];
  thresholds?: Record<string, number>;
}

export interface ApiPorts {
  health(): HealthResponse;
  live(): LiveResponse;
  history(query: HistoryQuery): HistoryResponse;
  energy(query: EnergyQuery): EnergyResponse;
  events(query: EventQuery): EventsResponse['events'];
  /** One validated action through the command queue; resolves with what really happened. */
  control(action: ControlAction, origin: ControlOrigin): Promise<ControlResponse>;
  getController(): ControllerSettingsResponse;
  /** Refuses (with a reason a person understands) thresholds the controller does not accept. */
  putController(update: ControllerUpdate, origin: ControlOrigin): Promise<Result<ControllerSettingsResponse, string>>;
  /** Every stream delta (sample, link, event, control) as it happens; returns the unsubscribe function. */
  subscribe(listener: (message: StreamMessage) => void): () => void;
}

export interface Identity {
  id: string;
  name: string;
  role: Role;
}

export interface Authenticator {
  verify(token: string): Identity | null;
}
