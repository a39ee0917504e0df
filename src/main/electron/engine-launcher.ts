/**
 * Starts the engine inside the desktop app: the same engine as `voltmon run`, bound to loopback on a
 * port of its own choosing (a daemon may already hold 48211 on this machine), with an operator token
 * for the app's own window.
 */
import { join } from 'node:path';
import pino from 'pino';
import type { VoltmonConfig } from '../../shared/config.js';
import { startEngine } from '../engine.js';
import { loadConfigFile } from '../engine/config-file.js';
import { localTimeZone, simulatedConfig } from '../engine/simulated-config.js';
import type { RunningEngine } from './desktop-app.js';
import type { LaunchOptions } from './launch-options.js';

const WINDOW_TOKEN_NAME = 'desktop-window';

export function resolveDesktopConfig(launch: LaunchOptions, userDataDir: string): VoltmonConfig {
  if (launch.simulate && !launch.configPath) return simulatedConfig(localTimeZone());
  const path = launch.configPath ?? join(userDataDir, 'voltmon.yaml');
  const loaded = loadConfigFile(path);
  if (!loaded.ok) throw new Error(`${path} is not usable:\n${loaded.error.join('\n')}`);
  return loaded.value;
}

export async function startDesktopEngine(launch: LaunchOptions, userDataDir: string): Promise<RunningEngine> {
  const config = resolveDesktopConfig(launch, userDataDir);
  const engine = await startEngine({
    config,
    dataDir: launch.dataDir ?? userDataDir,
    simulate: launch.simulate,
    logger: pino({ level: process.env.VOLTMON_LOG_LEVEL ?? 'info' }),
    host: '127.0.0.1',
    port: 0,
  });
  engine.tokens.revoke(WINDOW_TOKEN_NAME);
  const { token } = engine.tokens.add('operator', WINDOW_TOKEN_NAME);
  return { url: engine.address.url, token, stop: () => engine.stop() };
}
