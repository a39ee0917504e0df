/** Tests that run the built program build it first when dist is missing or older than any source file. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The bin as shipped: package.json's bin, the bundle scripts/bundle-cli.mjs writes. */
export const CLI = join(ROOT, 'dist', 'voltmon', 'cli.js');

export function newestSourceMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtimeMs(path));
    else if (/\.(ts|tsx|css|html|sql)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export const mtimeMs = (path: string): number => (existsSync(path) ? statSync(path).mtimeMs : 0);

export function runScript(script: string): void {
  // Vitest sets NODE_ENV=test; Vite would then bundle React's development build, not what users get.
  const env = { ...process.env };
  delete env.NODE_ENV;
  try {
    execFileSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: 'pipe', timeout: 300_000, env });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    const output = `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`npm run ${script} failed:\n${output}`, { cause: err });
  }
}

/** Builds the CLI (tsc + bundle) when a source file of the daemon is newer than the bundle. */
export function ensureBuilt(): void {
  const sourceMs = Math.max(...['shared', 'main', 'headless'].map((dir) => newestSourceMtimeMs(join(ROOT, 'src', dir))));
  if (sourceMs > mtimeMs(CLI)) runScript('build:node');
}
