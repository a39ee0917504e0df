/** Where an instance keeps its SQLite store and tokens when no path is given. */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** `--data-dir`, else $VOLTMON_DATA_DIR (the systemd unit sets it), else $XDG_DATA_HOME/voltmon, else ~/.local/share/voltmon. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.VOLTMON_DATA_DIR) return resolve(env.VOLTMON_DATA_DIR);
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'voltmon');
}

export function ensureDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
