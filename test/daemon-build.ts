/** Daemon tests run the built CLI: build it first when dist is missing or older than any source file. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The bin as shipped: package.json's bin, the bundle scripts/bundle-cli.mjs writes. */
export const CLI = 'dist/voltmon/cli.js';

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtimeMs(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export function ensureBuilt(): void {
  const builtMs = existsSync(CLI) ? statSync(CLI).mtimeMs : 0;
  const sourceMs = Math.max(newestMtimeMs('src/main'), newestMtimeMs('src/headless'), newestMtimeMs('src/shared'));
  if (builtMs > sourceMs) return;
  execFileSync('npm', ['run', 'build:node'], { stdio: 'pipe', timeout: 240_000 });
}
