/**
 * The built renderer at `/`. Paths are decoded once and any `..` segment, backslash or NUL is refused
 * outright (never normalised), then the resolved file must still lie inside the root after symlinks.
 * Unknown paths without an extension get index.html (the SPA's own router decides what to show).
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendError } from './errors.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Returns the file to serve for a URL path, or null when the path is hostile or names nothing. */
export async function resolveStaticPath(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s.length > 0 && s !== '.');
  if (segments.some((s) => s === '..')) return null;
  const rootReal = await realpath(root).catch(() => null);
  if (!rootReal) return null;
  const candidate = segments.length === 0 ? join(rootReal, 'index.html') : join(rootReal, ...segments);
  if (!inside(rootReal, candidate)) return null;
  const real = await realpath(candidate).catch(() => null);
  if (real && inside(rootReal, real) && (await stat(real)).isFile()) return real;
  if (extname(segments[segments.length - 1] ?? '') === '') {
    const index = join(rootReal, 'index.html');
    return (await stat(index).catch(() => null))?.isFile() ? index : null;
  }
  return null;
}

function inside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel.length > 0 && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

export function registerStatic(app: FastifyInstance, root: string | null): void {
  const rootDir = root ? resolve(root) : null;
  app.get('/*', { config: { access: 'public' } }, async (request, reply) => {
    const urlPath = request.raw.url?.split('?')[0] ?? '/';
    if (urlPath.startsWith('/api/')) return sendError(reply, 'notFound', `no such endpoint: ${request.method} ${urlPath}`);
    if (!rootDir) return notFound(reply, 'the web UI is not part of this build (npm run build:renderer)');
    const file = await resolveStaticPath(rootDir, urlPath);
    if (!file) return notFound(reply, 'not found');
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const immutable = relative(rootDir, file).startsWith(`assets${sep}`);
    return reply
      .type(type)
      .header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('X-Content-Type-Options', 'nosniff')
      .header('X-Frame-Options', 'SAMEORIGIN')
      .header('Referrer-Policy', 'no-referrer')
      .send(createReadStream(file));
  });
}

const notFound = (reply: FastifyReply, message: string): FastifyReply =>
  reply.code(404).type('text/plain; charset=utf-8').send(`${message}\n`);
