// tsc does not keep the executable bit: make the unbundled CLI runnable too (tests and Electron use dist/).
import { chmodSync } from 'node:fs';

chmodSync('dist/headless/cli.js', 0o755);
