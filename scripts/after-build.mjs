// tsc does not keep the executable bit nor copy non-TS assets: make the CLI runnable and bring the SQL files along.
import { chmodSync, cpSync, existsSync } from 'node:fs';

chmodSync('dist/headless/cli.js', 0o755);
if (existsSync('src/main/store/migrations')) {
  cpSync('src/main/store/migrations', 'dist/main/store/migrations', { recursive: true });
}
