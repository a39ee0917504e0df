/**
 * `voltmon import-legacy --from mysql://…/axpert`: copies the original installation's tables into the
 * local store, table by table with progress on stderr, and prints one summary line per table on stdout.
 * Run it again at any time: rows imported before are skipped (see src/main/store/mariadb/legacy-import.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { VoltmonConfig } from '../../shared/config.js';
import { isValidTimeZone } from '../../shared/zone.js';
import { loadConfigFile } from '../../main/engine/config-file.js';
import { openStore } from '../../main/store/index.js';
import { importLegacy } from '../../main/store/mariadb/legacy-import.js';
import { LEGACY_TABLES, type LegacyTableName } from '../../main/store/mariadb/legacy-map.js';
import { createProgress } from '../../main/store/mariadb/progress.js';
import { parseMariadbUrl, redactUrl } from '../../main/store/mariadb/url.js';
import { resolveConfigPath } from '../config-path.js';
import { ensureDataDir, resolveDataDir } from '../data-dir.js';
import { usageReporter } from '../cli-args.js';

const USAGE =
  'usage: voltmon import-legacy --from mysql://user:password@host:port/axpert [--config FILE] [--data-dir DIR]\n' +
  `                             [--time-zone ZONE] [--tables ${LEGACY_TABLES.join(',')}]\n`;

const usageError = usageReporter('import-legacy', USAGE);

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        'time-zone': { type: 'string' },
        tables: { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    return usageError(err instanceof Error ? err.message : String(err));
  }
  if (values.from === undefined) return usageError('--from is required');
  const source = parseMariadbUrl(values.from);
  if (!source.ok) return usageError(source.error);
  const zone = values['time-zone'] ?? 'UTC';
  if (!isValidTimeZone(zone)) return usageError(`--time-zone must be an IANA zone such as Europe/Bratislava, got '${zone}'`);
  let tables: LegacyTableName[] | undefined;
  if (values.tables !== undefined) {
    const names = values.tables.split(',').map((t) => t.trim().toUpperCase());
    const unknown = names.filter((t) => !(LEGACY_TABLES as readonly string[]).includes(t));
    if (unknown.length > 0) return usageError(`unknown table(s) ${unknown.join(', ')}: expected some of ${LEGACY_TABLES.join(',')}`);
    tables = names as LegacyTableName[];
  }

  const configPath = resolveConfigPath(values.config);
  let config: VoltmonConfig | null = null;
  if (values.config !== undefined || existsSync(configPath)) {
    const loaded = loadConfigFile(configPath);
    if (!loaded.ok) {
      process.stderr.write(`voltmon import-legacy: ${configPath} is not usable:\n${loaded.error.map((e) => `  ${e}`).join('\n')}\n`);
      return 1;
    }
    config = loaded.value;
  }
  const storePath = config?.store.path ?? join(ensureDataDir(resolveDataDir(values['data-dir'])), 'voltmon.db');
  // With MariaDB configured, imported history goes into the outbox too, so the archive gets it.
  const store = openStore({ path: storePath, timeZone: config?.site.timeZone ?? zone, outbox: config?.mariadb !== undefined });
  try {
    process.stderr.write(`voltmon import-legacy: from ${redactUrl(values.from)} into ${storePath}\n`);
    const progress = createProgress(process.stderr);
    let current: { table: string; read: number; total: number } | null = null;
    const result = await importLegacy({
      url: values.from,
      store,
      timeZone: zone,
      tables,
      onProgress: (p) => {
        if (current && current.table !== p.table) progress.finish(current.table, current.read, current.total);
        current = p;
        progress.update(p.table, p.read, p.total);
      },
    });
    if (current) {
      const last: { table: string; read: number; total: number } = current;
      progress.finish(last.table, last.read, last.total);
    }
    if (!result.ok) {
      process.stderr.write(`voltmon import-legacy: ${result.error}\n`);
      return 1;
    }
    for (const r of result.value) {
      if (!r.found) {
        process.stdout.write(`${r.table}: not in the source database\n`);
        continue;
      }
      process.stdout.write(`${r.table}: ${r.rows} rows, ${r.imported} imported, ${r.alreadyImported} imported before, ${r.refused} refused\n`);
      if (r.firstRefusal) process.stdout.write(`  first refused: ${r.firstRefusal}\n`);
    }
    return 0;
  } finally {
    store.close();
  }
}
