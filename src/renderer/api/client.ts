/**
 * The HTTP side of the API, typed by src/shared/api.ts. Nothing here throws for a failed request: every
 * call answers a result, so a page decides in one place what "refused token", "viewer" or "daemon
 * restarting" look like. A request aborted because the page moved on is `aborted` and shown nowhere.
 */
import type {
  ApiError,
  ControlResponse,
  ControllerSettingsResponse,
  EnergyResponse,
  EventsResponse,
  HealthResponse,
  HistoryResponse,
  LiveResponse,
  SessionResponse,
} from '../../shared/api';
import { API_PREFIX } from '../../shared/api';
import type { ControlAction } from '../../shared/control';
import type { EventKind } from '../../shared/events';

export type ApiFailureKind = 'unauthorized' | 'forbidden' | 'badRequest' | 'rateLimited' | 'server' | 'network' | 'aborted';

export interface ApiFailure {
  kind: ApiFailureKind;
  status: number | null;
  /** The server's `error` code when it sent one (`badPin`, `forbidden`…). */
  code: string | null;
  message: string;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiFailure };

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface HistoryQuery {
  series: readonly string[];
  from: number;
  to: number;
  points: number;
}

export interface EnergyQuery {
  period: EnergyResponse['period'];
  from: number;
  to: number;
}

export interface EventsQuery {
  from?: number;
  to?: number;
  kinds?: readonly EventKind[];
  limit?: number;
}

export interface ControllerUpdate {
  mode?: ControllerSettingsResponse['mode'];
  thresholds?: Record<string, number>;
}

function kindOf(status: number): ApiFailureKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rateLimited';
  if (status >= 400 && status < 500) return 'badRequest';
  return 'server';
}

const isAbort = (err: unknown): boolean => err instanceof DOMException && err.name === 'AbortError';

export class ApiClient {
  /** Sent as X-Voltmon-Pin on acting requests when the instance has a kiosk PIN. */
  pin: string | null = null;

  constructor(
    /** Base address without a trailing slash; '' for the instance that served this page. */
    readonly baseUrl: string,
    readonly token: string,
    private readonly fetchImpl: FetchLike = (input, init) => fetch(input, init),
  ) {}

  health(signal?: AbortSignal): Promise<ApiResult<HealthResponse>> {
    return this.request('GET', '/health', undefined, signal, false);
  }

  /** Who this token is and whether acting needs the kiosk PIN: the Control page asks before offering buttons. */
  session(signal?: AbortSignal): Promise<ApiResult<SessionResponse>> {
    return this.request('GET', '/session', undefined, signal);
  }

  live(signal?: AbortSignal): Promise<ApiResult<LiveResponse>> {
    return this.request('GET', '/live', undefined, signal);
  }

  history(q: HistoryQuery, signal?: AbortSignal): Promise<ApiResult<HistoryResponse>> {
    const params = new URLSearchParams({ series: q.series.join(','), from: String(Math.round(q.from)), to: String(Math.round(q.to)), points: String(q.points) });
    return this.request('GET', `/history?${params}`, undefined, signal);
  }

  energy(q: EnergyQuery, signal?: AbortSignal): Promise<ApiResult<EnergyResponse>> {
    const params = new URLSearchParams({ period: q.period, from: String(Math.round(q.from)), to: String(Math.round(q.to)) });
    return this.request('GET', `/energy?${params}`, undefined, signal);
  }

  events(q: EventsQuery, signal?: AbortSignal): Promise<ApiResult<EventsResponse>> {
    const params = new URLSearchParams();
    if (q.from !== undefined) params.set('from', String(Math.round(q.from)));
    if (q.to !== undefined) params.set('to', String(Math.round(q.to)));
    if (q.kinds && q.kinds.length > 0) params.set('kind', q.kinds.join(','));
    if (q.limit !== undefined) params.set('limit', String(q.limit));
    const query = params.toString();
    return this.request('GET', `/events${query ? `?${query}` : ''}`, undefined, signal);
  }

  control(action: ControlAction, signal?: AbortSignal): Promise<ApiResult<ControlResponse>> {
    return this.request('POST', '/control', action, signal);
  }

  getController(signal?: AbortSignal): Promise<ApiResult<ControllerSettingsResponse>> {
    return this.request('GET', '/controller', undefined, signal);
  }

  putController(update: ControllerUpdate, signal?: AbortSignal): Promise<ApiResult<ControllerSettingsResponse>> {
    return this.request('PUT', '/controller', update, signal);
  }

  /** The stream's address, with the token as a query parameter (browsers cannot set headers on a WebSocket). */
  streamUrl(pageLocation: { protocol: string; host: string; pathname: string }): string {
    const base = this.baseUrl || `${pageLocation.protocol}//${pageLocation.host}${pageLocation.pathname.replace(/\/[^/]*$/, '')}`;
    const ws = base.replace(/^http/, 'ws');
    return `${ws}${API_PREFIX}/stream?token=${encodeURIComponent(this.token)}`;
  }

  private async request<T>(method: string, path: string, body: unknown, signal: AbortSignal | undefined, auth = true): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (auth) headers.Authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && this.pin) headers['X-Voltmon-Pin'] = this.pin;
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${API_PREFIX}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        cache: 'no-store',
      });
    } catch (err) {
      if (isAbort(err) || signal?.aborted) return failure('aborted', null, null, 'cancelled');
      return failure('network', null, null, `cannot reach ${this.baseUrl || 'this instance'}: ${err instanceof Error ? err.message : String(err)}`);
    }
    let parsed: unknown = null;
    try {
      parsed = await response.json();
    } catch (err) {
      // A body that is not JSON stays null: a proxy's HTML error page, say.
      if (isAbort(err) || signal?.aborted) return failure('aborted', null, null, 'cancelled');
    }
    if (response.ok) {
      if (parsed === null) return failure('server', response.status, null, 'the answer was not JSON');
      return { ok: true, value: parsed as T };
    }
    const apiError = parsed as Partial<ApiError> | null;
    const message = typeof apiError?.message === 'string' ? apiError.message : `HTTP ${response.status}`;
    return failure(kindOf(response.status), response.status, typeof apiError?.error === 'string' ? apiError.error : null, message);
  }
}

const failure = (kind: ApiFailureKind, status: number | null, code: string | null, message: string): { ok: false; error: ApiFailure } => ({
  ok: false,
  error: { kind, status, code, message },
});
