/**
 * WS /api/v1/stream: a snapshot on connect, then every delta. Each message is serialised once for all
 * clients. A client that does not read is dropped once its unsent data passes a bound, so a stalled
 * screen never holds memory or slows the engine.
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { StreamMessage } from '../../shared/api.js';
import type { Guard } from './guard.js';
import type { ApiPorts, Identity } from './ports.js';
import { StreamAuthMessageSchema } from './request-schemas.js';

export interface StreamOptions {
  /** Unsent bytes allowed per client before it is dropped (default 1 MiB). */
  maxBufferedBytes?: number;
  /** How long a client without a token in its request may take to send `{"token": "..."}` (default 5 s). */
  authTimeoutMs?: number;
  /** Ping interval; a client that misses a pong in one interval is dropped (default 30 s). */
  pingIntervalMs?: number;
}

/** Close codes in the private range: 4401 not authenticated, 4408 login too slow, 4429 too many failures. */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_AUTH_TIMEOUT = 4408;
export const CLOSE_TOO_MANY = 4429;

interface Client {
  socket: WebSocket;
  identity: Identity | null;
  alive: boolean;
}

export class StreamHub {
  private readonly clients = new Set<Client>();
  private readonly unsubscribe: () => void;
  private readonly pingTimer: NodeJS.Timeout;
  private readonly maxBufferedBytes: number;
  private readonly authTimeoutMs: number;
  private dropped = 0;

  constructor(
    private readonly ports: ApiPorts,
    private readonly guard: Guard,
    private readonly log: FastifyBaseLogger,
    options: StreamOptions = {},
  ) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
    this.authTimeoutMs = options.authTimeoutMs ?? 5000;
    this.unsubscribe = ports.subscribe((message) => this.broadcast(message));
    this.pingTimer = setInterval(() => this.ping(), options.pingIntervalMs ?? 30_000);
    this.pingTimer.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Clients dropped for not reading since start (for metrics). */
  get droppedCount(): number {
    return this.dropped;
  }

  attach(socket: WebSocket, request: FastifyRequest): void {
    const client: Client = { socket, identity: request.identity, alive: true };
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', () => socket.terminate());
    socket.on('pong', () => {
      client.alive = true;
    });
    if (client.identity) {
      this.start(client);
      socket.on('message', () => undefined);
      return;
    }
    const timer = setTimeout(() => {
      this.guard.recordFailure(request.ip);
      socket.close(CLOSE_AUTH_TIMEOUT, 'send {"token": "..."} first');
    }, this.authTimeoutMs);
    socket.once('close', () => clearTimeout(timer));
    socket.once('message', (data: Buffer, isBinary: boolean) => {
      clearTimeout(timer);
      const token = isBinary ? null : parseAuthMessage(data.toString('utf8'));
      if (!token) {
        this.guard.recordFailure(request.ip);
        socket.close(CLOSE_UNAUTHORIZED, 'expected {"token": "..."} as the first message');
        return;
      }
      const result = this.guard.authenticate(token, request.ip);
      if (!result.ok) {
        socket.close(result.status === 429 ? CLOSE_TOO_MANY : CLOSE_UNAUTHORIZED, result.message);
        return;
      }
      client.identity = result.identity;
      this.start(client);
    });
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.pingTimer);
    for (const client of this.clients) client.socket.close(1001, 'server shutting down');
  }

  private start(client: Client): void {
    const snapshot: StreamMessage = { type: 'snapshot', live: this.ports.live(), health: this.ports.health() };
    this.send(client, JSON.stringify(snapshot));
  }

  private broadcast(message: StreamMessage): void {
    if (this.clients.size === 0) return;
    const data = JSON.stringify(message);
    for (const client of this.clients) {
      if (client.identity) this.send(client, data);
    }
  }

  private send(client: Client, data: string): void {
    const { socket } = client;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount + data.length > this.maxBufferedBytes) {
      this.dropped += 1;
      this.clients.delete(client);
      this.log.warn({ client: client.identity?.name, bufferedBytes: socket.bufferedAmount }, 'dropping a stream client that does not read');
      socket.terminate();
      return;
    }
    socket.send(data);
  }

  private ping(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        this.clients.delete(client);
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }
}

function parseAuthMessage(text: string): string | null {
  try {
    const parsed = StreamAuthMessageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.token : null;
  } catch {
    return null;
  }
}
