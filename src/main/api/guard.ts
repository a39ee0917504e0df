/**
 * Who may do what, decided in `onRequest`, before the body is even read: a bad or missing token is 401,
 * a viewer acting is 403, a wrong kiosk PIN is 403; too many failures from one address, or too many
 * requests on one token, is 429.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkControlPin } from '../control/pin.js';
import { sendError } from './errors.js';
import type { Authenticator, Identity } from './ports.js';
import { addressKey, RateLimiter } from './rate-limit.js';

/** `stream` accepts the token as a header, `?token=`, or (after the upgrade) in the first message. */
export type Access = 'public' | 'viewer' | 'operator' | 'stream';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Acting routes that also need the kiosk PIN when one is configured. */
    pin?: boolean;
  }
  interface FastifyRequest {
    identity: Identity | null;
  }
}

export interface GuardOptions {
  auth: Authenticator;
  requestsPerMinute: number;
  /** Failed authentications allowed per address and minute (burst = the same number). */
  failuresPerMinute: number;
  kioskPin?: string;
  now?: () => number;
}

export interface Guard {
  /** For the stream's first-message login: same checks and counters as a header. */
  authenticate(token: string, ip: string): { ok: true; identity: Identity } | { ok: false; status: 401 | 429; message: string };
  /** Counts a failure that happened outside a request hook (e.g. a stream that never sent its token). */
  recordFailure(ip: string): void;
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

function queryToken(request: FastifyRequest): string | null {
  const query = request.query as Record<string, unknown> | undefined;
  const token = query?.token;
  return typeof token === 'string' && token.length > 0 ? token : null;
}

export function registerGuard(app: FastifyInstance, options: GuardOptions): Guard {
  const byAddress = new RateLimiter({ capacity: options.failuresPerMinute, perMinute: options.failuresPerMinute, now: options.now });
  const failures = {
    exhausted: (ip: string): boolean => byAddress.exhausted(addressKey(ip)),
    take: (ip: string): boolean => byAddress.take(addressKey(ip)),
  };
  const perToken = new RateLimiter({
    capacity: Math.max(10, Math.ceil(options.requestsPerMinute / 6)),
    perMinute: options.requestsPerMinute,
    now: options.now,
  });

  const guard: Guard = {
    authenticate(token, ip) {
      if (failures.exhausted(ip)) return { ok: false, status: 429, message: 'too many failed attempts from this address; wait a minute' };
      const identity = options.auth.verify(token);
      if (!identity) {
        failures.take(ip);
        return { ok: false, status: 401, message: 'the token is not valid' };
      }
      if (!perToken.take(identity.id)) return { ok: false, status: 429, message: 'too many requests with this token; slow down' };
      return { ok: true, identity };
    },
    recordFailure(ip) {
      failures.take(ip);
    },
  };

  app.decorateRequest('identity', null);
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access ?? 'public';
    if (access === 'public' || request.method === 'OPTIONS') return;
    const token = bearerToken(request) ?? (access === 'stream' ? queryToken(request) : null);
    if (!token) {
      if (access === 'stream') return;
      if (failures.exhausted(request.ip)) return sendError(reply, 'tooManyRequests', 'too many failed attempts from this address; wait a minute');
      failures.take(request.ip);
      return sendError(reply, 'unauthorized', 'send Authorization: Bearer <token> (create one with `voltmon token add`)');
    }
    const result = guard.authenticate(token, request.ip);
    if (!result.ok) return sendError(reply, result.status === 429 ? 'tooManyRequests' : 'unauthorized', result.message);
    if (access === 'operator' && result.identity.role !== 'operator') {
      return sendError(reply, 'forbidden', `token '${result.identity.name}' is a viewer token; this needs an operator token`);
    }
    if (request.routeOptions.config.pin) {
      const pin = checkControlPin(options.kioskPin, request.headers['x-voltmon-pin']);
      if (!pin.ok) {
        // Wrong PINs count as failed logins: four digits must not be guessable at request speed.
        failures.take(request.ip);
        return sendError(reply, 'badPin', `${pin.message} (header X-Voltmon-Pin)`);
      }
    }
    request.identity = result.identity;
  });
  return guard;
}
