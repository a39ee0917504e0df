/**
 * `voltmon sync`: ships the whole MariaDB outbox of the local store now, with progress on stderr, and
 * exits 0 once it is empty (1 when MariaDB fails, 2 on a bad command line). Safe while the daemon runs:
 * both may ship the same rows, and the upserts make the second copy a no-op.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { VoltmonConfig } from '../../shared/config.js';
import { loadConfigFile } from '../../main/engine/config-file.js';
import { openStore } from '../../main/store/index.js';
import { createProgress } from '../../main/store/mariadb/progress.js';
import { createSync } from '../../main/store/mariadb/sync.js';
import { parseMariadbUrl, redactUrl } from '../../main/store/mariadb/url.js';
import { resolveConfigPath } from '../config-path.js';
import { resolveDataDir } from '../data-dir.js';
import { usageReporter } from '../cli-args.js';

const USAGE = 'usage: voltmon sync [--config FILE] [--data-dir DIR] [--mariadb URL] [--site NAME]\n';

const usageError = usageReporter('sync', USAGE);

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, 'data-dir': { type: 'string' }, mariadb: { type: 'string' }, site: { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    return usageError(err instanceof Error ? err.message : String(err));
  }

  // The config names the URL, the site and the store; without one, the options must.
  const configPath = resolveConfigPath(values.config);
  let config: VoltmonConfig | null = null;
  if (values.config !== undefined || existsSync(configPath)) {
    const loaded = loadConfigFile(configPath);
    if (!loaded.ok) {
      process.stderr.write(`voltmon sync: ${configPath} is not usable:\n${loaded.error.map((e) => `  ${e}`).join('\n')}\n`);
      return 1;
    }
    config = loaded.value;
  }
  const url = values.mariadb ?? config?.mariadb?.url;
  if (url === undefined) return usageError('no MariaDB URL: give --mariadb mysql://user:password@host:port/database or set mariadb.url in the config');
  const target = parseMariadbUrl(url);
  if (!target.ok) return usageError(target.error);
  const site = values.site ?? config?.site.name ?? hostname();
  const storePath = config?.store.path ?? join(resolveDataDir(values['data-dir']), 'voltmon.db');
  if (!existsSync(storePath)) {
    process.stderr.write(`voltmon sync: no store at ${storePath} (give --data-dir or --config)\n`);
    return 1;
  }

  const store = openStore({ path: storePath, timeZone: config?.site.timeZone ?? 'UTC', outbox: true });
  const sync = createSync({ url, site, outbox: store.outbox, batchSize: 1000 });
  try {
    const total = store.outbox.backlog();
    process.stderr.write(`voltmon sync: ${total} rows to ship from ${storePath} to ${redactUrl(url)} as site '${site}'\n`);
    const progress = createProgress(process.stderr);
    const result = await sync.drain((p) => progress.update('shipping', p.shipped, total));
    progress.finish('shipping', result.shipped + result.rejected, total);
    if (result.rejected > 0) process.stderr.write(`voltmon sync: ${result.rejected} rows could not be stored in MariaDB and were set aside\n`);
    if (!result.ok) {
      process.stderr.write(`voltmon sync: ${result.error ?? 'failed'}; ${result.backlog} rows still wait in the outbox\n`);
      return 1;
    }
    process.stderr.write(`voltmon sync: done, ${result.shipped} rows shipped, the outbox is empty\n`);
    return 0;
  } finally {
    await sync.stop();
    store.close();
  }
}
