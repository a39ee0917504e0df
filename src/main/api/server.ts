/**
 * The HTTP/WebSocket server: fastify 5, everything under /api/v1, the web UI at `/`, metrics at
 * /metrics. It knows the engine only through ApiPorts and tokens only through an Authenticator.
 */
import websocket from '@fastify/websocket';
import fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { API_PREFIX } from '../../shared/api.js';
import { registerCors } from './cors.js';
import { handleError, sendError } from './errors.js';
import { registerGuard } from './guard.js';
import { renderMetrics } from './metrics.js';
import { buildOpenApi } from './openapi.js';
import type { ApiPorts, Authenticator } from './ports.js';
import { registerRoutes } from './routes.js';
import { registerStatic } from './static-files.js';
import { StreamHub, type StreamOptions } from './stream.js';

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;
/** A client told "too large" is still sending; read and discard up to this much so it can read the answer. */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * A body announced larger than the limit is refused before it is parsed (and after the token check).
 * Fastify would answer at once with `Connection: close`, resetting the socket under a client that is
 * still writing, which then never sees the answer. Instead the rest is read and dropped, and the 413
 * goes out once the body is in (beyond DRAIN_LIMIT_BYTES the socket is simply closed).
 */
function registerBodyLimit(app: FastifyInstance, limitBytes: number): void {
  app.addHook('preParsing', (request, reply, payload, done) => {
    const announced = Number(request.headers['content-length']);
    if (!(announced > limitBytes)) {
      done(null, payload);
      return;
    }
    if (announced > DRAIN_LIMIT_BYTES) {
      request.raw.socket.destroy();
      return;
    }
    request.raw.on('data', () => undefined);
    request.raw.once('end', () => {
      sendError(reply, 'payloadTooLarge', `the body has ${announced} bytes; this API accepts at most ${limitBytes}`);
    });
  });
}

/**
 * Requests are validated with the zod schemas of src/shared and replies are plain JSON, so no route has a
 * fastify schema. Giving fastify compilers of our own keeps it from loading ajv and fast-json-stringify
 * (~90 modules, ~2 MB of an idle daemon's heap); a route that declares a schema fails at start-up, loudly.
 */
const noRouteSchemas = (): never => {
  throw new Error('voltmon routes validate with zod; fastify route schemas are not supported');
};
const SCHEMA_CONTROLLER = { compilersFactory: { buildValidator: () => noRouteSchemas, buildSerializer: () => noRouteSchemas } };

export interface ApiServerOptions {
  ports: ApiPorts;
  auth: Authenticator;
  version: string;
  /** The built renderer (dist/renderer); null serves a note that the UI is not built. */
  staticRoot: string | null;
  corsOrigins?: readonly string[];
  kioskPin?: string;
  /** Requests per minute for one token (default 1200). */
  requestsPerMinute?: number;
  /** Failed logins per address and minute before 429 (default 20). */
  failedAuthPerMinute?: number;
  bodyLimitBytes?: number;
  tls?: { cert: Buffer; key: Buffer };
  stream?: StreamOptions;
  logger?: FastifyBaseLogger;
  now?: () => number;
}

export interface ListenAddress {
  host: string;
  port: number;
  url: string;
}

export interface ApiServer {
  readonly app: FastifyInstance;
  listen(host: string, port: number): Promise<ListenAddress>;
  close(): Promise<void>;
  streamClients(): number;
}

export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const now = options.now ?? Date.now;
  const app = fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // Our onResponse hook logs the route pattern instead: a URL may carry a stream's ?token=.
    logController: new LogController({ disableRequestLogging: true }),
    requestTimeout: 30_000,
    return503OnClosing: true,
    // Shutdown must not wait for keep-alive or half-finished connections of clients.
    forceCloseConnections: true,
    schemaController: SCHEMA_CONTROLLER,
  }) as unknown as FastifyInstance;

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => sendError(reply, 'notFound', `no such endpoint: ${request.method} ${request.url.split('?')[0]}`));
  // First, so its hooks see a WebSocket upgrade even when ours answer it early (401): it then closes the socket.
  await app.register(websocket, { options: { maxPayload: 4096 } });
  registerCors(app, options.corsOrigins ?? []);
  const guard = registerGuard(app, {
    auth: options.auth,
    requestsPerMinute: options.requestsPerMinute ?? 1200,
    failuresPerMinute: options.failedAuthPerMinute ?? 20,
    kioskPin: options.kioskPin,
    now,
  });
  registerBodyLimit(app, options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES);
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, route: request.routeOptions.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  const hub = new StreamHub(options.ports, guard, app.log, options.stream);

  registerRoutes(app, { ports: options.ports, now, pinRequired: options.kioskPin !== undefined && options.kioskPin !== '' });
  app.get(`${API_PREFIX}/stream`, { websocket: true, config: { access: 'stream' } }, (socket, request) => hub.attach(socket, request));
  // Built on the first request, not at start-up: generating it costs the idle daemon heap it rarely needs.
  let openApi: ReturnType<typeof buildOpenApi> | null = null;
  app.get(`${API_PREFIX}/openapi.json`, { config: { access: 'public' } }, async () => (openApi ??= buildOpenApi(options.version)));
  app.get('/metrics', { config: { access: 'viewer' } }, async (_request, reply) =>
    reply
      .type('text/plain; version=0.0.4; charset=utf-8')
      .send(renderMetrics(options.ports.health(), options.ports.live(), { streamClients: hub.clientCount, streamDropped: hub.droppedCount })),
  );
  registerStatic(app, options.staticRoot);

  let closed = false;
  return {
    app,
    async listen(host, port) {
      await app.listen({ host, port });
      const address = app.server.address();
      const boundPort = typeof address === 'object' && address ? address.port : port;
      const scheme = options.tls ? 'https' : 'http';
      const shown = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      return { host, port: boundPort, url: `${scheme}://${shown}:${boundPort}/` };
    },
    async close() {
      if (closed) return;
      closed = true;
      hub.close();
      await app.close();
    },
    streamClients: () => hub.clientCount,
  };
}
