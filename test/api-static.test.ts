import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { raw, startHarness, type Harness } from './api-fakes.js';

let h: Harness;
let root: string;
afterEach(async () => {
  await h?.close();
});

beforeAll(() => {
  // <tmp>/secret.txt sits next to the web root; <tmp>/web is what the server may serve.
  const base = mkdtempSync(join(tmpdir(), 'voltmon-static-'));
  writeFileSync(join(base, 'secret.txt'), 'TOP-SECRET');
  root = join(base, 'web');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>voltmon</title>');
  writeFileSync(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
});

describe('static web UI', () => {
  it('serves index.html at / without a token', async () => {
    h = await startHarness({ staticRoot: root });
    const res = await raw(h.port, 'GET', '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<title>voltmon</title>');
  });

  it('serves hashed assets with their type and a long cache life', async () => {
    h = await startHarness({ staticRoot: root });
    const res = await raw(h.port, 'GET', '/assets/app-1234.js');
    expect(res.text).toBe('console.log(1)');
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('falls back to index.html for client-side routes, but not for missing files', async () => {
    h = await startHarness({ staticRoot: root });
    const route = await raw(h.port, 'GET', '/history/battery');
    expect(route.status).toBe(200);
    expect(route.text).toContain('<title>voltmon</title>');
    expect((await raw(h.port, 'GET', '/assets/missing.js')).status).toBe(404);
  });

  it.each([
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/..%5csecret.txt',
    '/%2e%2e%5c%2e%2e%5csecret.txt',
    '/assets/link.txt',
    '/index.html%00.js',
    '/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  ])('does not escape the web root: %s', async (path) => {
    h = await startHarness({ staticRoot: root });
    const res = await raw(h.port, 'GET', path);
    expect(res.text).not.toContain('TOP-SECRET');
    expect(res.text).not.toContain('root:x:');
    expect(res.status).toBe(404);
  });

  it('tells the user when the UI is not built', async () => {
    h = await startHarness({ staticRoot: null });
    const res = await raw(h.port, 'GET', '/');
    expect(res.status).toBe(404);
    expect(res.text).toContain('npm run build:renderer');
  });
});
