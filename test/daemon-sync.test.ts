import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/shared/config.js';
import { startEngine, type Engine } from '../src/main/engine.js';
import { HealthResponseSchema } from '../src/main/api/response-schemas.js';

/** Needs the MariaDB of the test machine (127.0.0.1:3306, root, database `test`); fails without it. */
const MARIADB_URL = 'mysql://root@127.0.0.1:3306/test';

let engine: Engine | undefined;
afterAll(() => engine?.stop());

describe('the daemon with MariaDB sync', () => {
  it('ships samples to MariaDB and reports the sync in health', async () => {
    const site = `daemon-sync-${process.pid}-${Date.now()}`;
    const parsed = parseConfig({
      site: { name: site, timeZone: 'UTC' },
      devices: { bms: { transport: { type: 'serial', path: '/dev/bms' } } },
      battery: { chemistry: 'lifepo4', cellsInSeries: 16, capacityAh: 280, cellMinV: 2.8, cellMaxV: 3.6 },
      store: { batchMs: 500 },
    });
    if (!parsed.ok) throw new Error(parsed.error.join('; '));
    const dataDir = mkdtempSync(join(tmpdir(), 'voltmon-sync-'));
    engine = await startEngine({ config: parsed.value, dataDir, simulate: true, logger: pino({ level: 'silent' }), port: 0, host: '127.0.0.1', mariadbUrl: MARIADB_URL, staticRoot: null });
    const base = `http://127.0.0.1:${engine.address.port}`;
    const db = await mysql.createConnection(MARIADB_URL);
    let rows = 0;
    try {
      for (let i = 0; i < 120 && rows === 0; i++) {
        await new Promise((r) => setTimeout(r, 250));
        const [result] = await db.query('SELECT COUNT(*) AS n FROM bms_samples WHERE site = ?', [site]).catch(() => [[{ n: 0 }]]);
        rows = Number((result as Array<{ n: number }>)[0]?.n ?? 0);
      }
    } finally {
      await db.end();
    }
    expect(rows).toBeGreaterThan(0);
    const health = HealthResponseSchema.parse(await (await fetch(`${base}/api/v1/health`)).json());
    expect(health.sync).toMatchObject({ enabled: true, connected: true, lastError: null });
    const metrics = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${engine.tokens.add('viewer', 'm').token}` } })).text();
    expect(metrics).toMatch(/^voltmon_sync_connected 1$/m);
  });
});
