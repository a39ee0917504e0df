/**
 * `voltmon run`: the daemon. With --simulate it needs neither a config nor hardware. Logs one line with
 * the UI's address on start (in --simulate with a fresh operator token in its fragment) and stops
 * cleanly on SIGTERM/SIGINT: grid connected, drivers stopped, last batch committed, exit 0.
 */
import { parseArgs } from 'node:util';
import type { VoltmonConfig } from '../../shared/config.js';
import { startEngine, type Engine } from '../../main/engine.js';
import { localTimeZone, simulatedConfig } from '../../main/engine/simulated-config.js';
import { resolveConfigPath } from '../config-path.js';
import { ensureDataDir, resolveDataDir } from '../data-dir.js';
import { collectGarbagePeriodically, tuneDaemonV8 } from '../daemon-v8-flags.js';
import { createLogger } from '../logger.js';
import { usageReporter } from '../cli-args.js';

const USAGE =
  'usage: voltmon run [--simulate] [--config FILE] [--data-dir DIR] [--host HOST] [--port N] [--mariadb URL]\n';
/** If a clean stop takes longer than this, exit anyway (the relay was made safe first). */
const STOP_DEADLINE_MS = 10_000;
export const SIMULATE_TOKEN_NAME = 'simulate';

const usageError = usageReporter('run', USAGE);

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        simulate: { type: 'boolean', default: false },
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        mariadb: { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    return usageError(err instanceof Error ? err.message : String(err));
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d{1,5}$/.test(values.port) || port > 65535) return usageError(`--port must be a number from 0 to 65535, got '${values.port}'`);
  }
  if (values.mariadb !== undefined && !/^(mysql|mariadb):\/\/\S+$/.test(values.mariadb)) return usageError('--mariadb must be a mysql:// URL');

  tuneDaemonV8();
  let config: VoltmonConfig;
  if (values.simulate && values.config === undefined) {
    config = simulatedConfig(localTimeZone());
  } else {
    const path = resolveConfigPath(values.config);
    // The YAML parser is loaded only when there is a file to read.
    const { loadConfigFile } = await import('../../main/engine/config-file.js');
    const loaded = loadConfigFile(path);
    if (!loaded.ok) {
      process.stderr.write(`voltmon run: ${path} is not usable:\n${loaded.error.map((e) => `  ${e}`).join('\n')}\n`);
      return 1;
    }
    config = loaded.value;
  }

  const log = await createLogger();
  const dataDir = ensureDataDir(resolveDataDir(values['data-dir']));
  let engine: Engine;
  try {
    engine = await startEngine({
      config,
      dataDir,
      simulate: values.simulate,
      logger: log,
      host: values.host,
      port,
      mariadbUrl: values.mariadb,
    });
  } catch (err) {
    log.fatal({ err }, `voltmon could not start: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }

  // A crash is logged and ends the process (systemd restarts it); the relay's exit hook connects the grid.
  const crash = (what: string) => (err: unknown): void => {
    log.fatal({ err }, `${what}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  };
  const stopCollecting = collectGarbagePeriodically();
  process.on('uncaughtException', crash('uncaught exception'));
  process.on('unhandledRejection', crash('unhandled promise rejection'));

  let url = engine.address.url;
  if (values.simulate) {
    engine.tokens.revoke(SIMULATE_TOKEN_NAME);
    url += `#token=${engine.tokens.add('operator', SIMULATE_TOKEN_NAME).token}`;
  }
  log.info({ url, dataDir, store: engine.storePath, simulated: values.simulate }, `voltmon is running: open ${url}`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'stopping');
      stopCollecting();
      const deadline = setTimeout(() => {
        log.error(`did not stop within ${STOP_DEADLINE_MS / 1000} s; exiting anyway`);
        process.exit(1);
      }, STOP_DEADLINE_MS);
      deadline.unref();
      engine.stop().then(
        () => {
          log.info('stopped');
          resolve(0);
        },
        (err: unknown) => {
          log.error({ err }, 'stopping failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
