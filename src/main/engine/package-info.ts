/** Where this program is installed: its version and the built renderer, found from this file's location. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  version: string;
  root: string;
  /** dist/renderer when it has been built, else null. */
  rendererDir: string | null;
}

let cached: PackageInfo | null = null;

/** Walks up from src/main/engine or dist/main/engine to the package.json named voltmon. */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'voltmon') {
        const renderer = join(dir, 'dist', 'renderer');
        cached = { version: pkg.version ?? '0.0.0', root: dir, rendererDir: existsSync(join(renderer, 'index.html')) ? renderer : null };
        return cached;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return (cached = { version: '0.0.0', root: dir, rendererDir: null });
    dir = parent;
  }
}
