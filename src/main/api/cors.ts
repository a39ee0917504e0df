/**
 * CORS by an explicit list: only a configured origin gets `Access-Control-Allow-Origin` (its own value,
 * never `*`). Other origins get no CORS headers, so browsers keep the answer from their scripts.
 */
import type { FastifyInstance } from 'fastify';

const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Voltmon-Pin';
const ALLOWED_METHODS = 'GET, POST, PUT, OPTIONS';

export function registerCors(app: FastifyInstance, origins: readonly string[]): void {
  const allowed = new Set(origins.map((o) => o.replace(/\/$/, '').toLowerCase()));
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    reply.header('Vary', 'Origin');
    if (!origin || !allowed.has(origin.toLowerCase())) return;
    reply.header('Access-Control-Allow-Origin', origin);
    if (request.method === 'OPTIONS') {
      reply
        .header('Access-Control-Allow-Methods', ALLOWED_METHODS)
        .header('Access-Control-Allow-Headers', ALLOWED_HEADERS)
        .header('Access-Control-Max-Age', '600')
        .code(204)
        .send();
    }
  });
}
