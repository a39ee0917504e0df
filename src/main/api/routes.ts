/** The REST endpoints under /api/v1: each validates its input, asks a port, answers a shared shape. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { API_PREFIX, type SessionResponse } from '../../shared/api.js';
import { ControlActionSchema, type ControlOrigin } from '../../shared/control.js';
import type { EventKind } from '../../shared/events.js';
import { sendError } from './errors.js';
import type { ApiPorts } from './ports.js';
import {
  ControllerUpdateSchema,
  DEFAULT_EVENTS,
  DEFAULT_HISTORY_POINTS,
  DEFAULT_WINDOW_MS,
  describeZodError,
  ENERGY_MAX_RANGE_MS,
  EnergyQuerySchema,
  EventsQuerySchema,
  HistoryQuerySchema,
} from './request-schemas.js';

export interface RouteOptions {
  ports: ApiPorts;
  now: () => number;
  /** A kiosk PIN is configured: acting routes need X-Voltmon-Pin. */
  pinRequired: boolean;
}

function parse<S extends z.ZodType>(schema: S, input: unknown, reply: FastifyReply, what: string): z.output<S> | null {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  sendError(reply, 'badRequest', `${what}: ${describeZodError(result.error)}`);
  return null;
}

function window(from: number | undefined, to: number | undefined, defaultMs: number, now: number): { from: number; to: number } {
  const end = to ?? (from !== undefined ? from + defaultMs : now);
  return { from: from ?? end - defaultMs, to: end };
}

const origin = (request: FastifyRequest): ControlOrigin => ({ kind: 'user', name: request.identity?.name ?? 'unknown' });

export function registerRoutes(app: FastifyInstance, { ports, now, pinRequired }: RouteOptions): void {
  app.get(`${API_PREFIX}/health`, { config: { access: 'public' } }, async () => ports.health());

  app.get(`${API_PREFIX}/session`, { config: { access: 'viewer' } }, async (request, reply) => {
    const identity = request.identity;
    if (!identity) return sendError(reply, 'unauthorized', 'send Authorization: Bearer <token>');
    const session: SessionResponse = { name: identity.name, role: identity.role, pinRequired };
    return session;
  });

  app.get(`${API_PREFIX}/live`, { config: { access: 'viewer' } }, async () => ports.live());

  app.get(`${API_PREFIX}/history`, { config: { access: 'viewer' } }, async (request, reply) => {
    const q = parse(HistoryQuerySchema, request.query, reply, 'history');
    if (!q) return reply;
    const range = window(q.from, q.to, DEFAULT_WINDOW_MS.history, now());
    if (range.from >= range.to) return sendError(reply, 'badRequest', 'history: from must be before to');
    return ports.history({ series: q.series, ...range, points: q.points ?? DEFAULT_HISTORY_POINTS });
  });

  app.get(`${API_PREFIX}/energy`, { config: { access: 'viewer' } }, async (request, reply) => {
    const q = parse(EnergyQuerySchema, request.query, reply, 'energy');
    if (!q) return reply;
    const range = window(q.from, q.to, DEFAULT_WINDOW_MS[q.period], now());
    if (range.from >= range.to) return sendError(reply, 'badRequest', 'energy: from must be before to');
    if (range.to - range.from > ENERGY_MAX_RANGE_MS[q.period]) {
      const days = Math.round(ENERGY_MAX_RANGE_MS[q.period] / 86_400_000);
      return sendError(reply, 'badRequest', `energy: period=${q.period} covers at most ${days} days per request`);
    }
    return ports.energy({ period: q.period, ...range });
  });

  app.get(`${API_PREFIX}/events`, { config: { access: 'viewer' } }, async (request, reply) => {
    const q = parse(EventsQuerySchema, request.query, reply, 'events');
    if (!q) return reply;
    if (q.from !== undefined && q.to !== undefined && q.from >= q.to) return sendError(reply, 'badRequest', 'events: from must be before to');
    const events = ports.events({
      from: q.from,
      to: q.to,
      kinds: q.kind as EventKind[] | undefined,
      limit: q.limit ?? DEFAULT_EVENTS,
    });
    return { events };
  });

  app.post(`${API_PREFIX}/control`, { config: { access: 'operator', pin: true } }, async (request, reply) => {
    const action = parse(ControlActionSchema, request.body, reply, 'control');
    if (!action) return reply;
    return ports.control(action, origin(request));
  });

  app.get(`${API_PREFIX}/controller`, { config: { access: 'viewer' } }, async () => ports.getController());

  app.put(`${API_PREFIX}/controller`, { config: { access: 'operator', pin: true } }, async (request, reply) => {
    const update = parse(ControllerUpdateSchema, request.body, reply, 'controller');
    if (!update) return reply;
    const result = await ports.putController(update, origin(request));
    if (!result.ok) return sendError(reply, 'badRequest', `controller: ${result.error}`);
    return result.value;
  });
}
