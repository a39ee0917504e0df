/** The desktop app's in-process engine: loopback only, a port of its own, and a token that opens the UI. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDesktopEngine, resolveDesktopConfig } from '../src/main/electron/engine-launcher.js';

const dir = mkdtempSync(join(tmpdir(), 'voltmon-desktop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('desktop engine', () => {
  it('runs the simulated plant on loopback and its window token reads live data', async () => {
    const engine = await startDesktopEngine({ kiosk: false, simulate: true, configPath: null, dataDir: dir, connectUrl: null }, dir);
    try {
      const url = new URL(engine.url);
      expect(['127.0.0.1', 'localhost']).toContain(url.hostname);
      expect(Number(url.port)).toBeGreaterThan(0);
      expect(engine.token).toBeTruthy();
      const unauthorised = await fetch(new URL('/api/v1/live', url));
      expect(unauthorised.status).toBe(401);
      const live = await fetch(new URL('/api/v1/live', url), { headers: { authorization: `Bearer ${engine.token}` } });
      expect(live.status).toBe(200);
    } finally {
      await engine.stop();
    }
  });

  it('names the config file it could not use', () => {
    expect(() => resolveDesktopConfig({ kiosk: false, simulate: false, configPath: join(dir, 'missing.yaml'), dataDir: null, connectUrl: null }, dir)).toThrow(
      /missing\.yaml/,
    );
  });
});
