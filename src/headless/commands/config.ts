/** `voltmon config check [--config FILE]`: prints `ok`, or one line per problem and exits 1. */
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../../main/engine/config-file.js';
import { resolveConfigPath } from '../config-path.js';

const USAGE = 'usage: voltmon config check [--config FILE]\n';

export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  let values;
  try {
    ({ values } = parseArgs({ args: rest, options: { config: { type: 'string' } }, strict: true }));
  } catch (err) {
    process.stderr.write(`voltmon config: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (sub !== 'check') {
    process.stderr.write(`voltmon config: ${sub ? `unknown subcommand '${sub}'` : 'missing subcommand'}\n${USAGE}`);
    return 2;
  }
  const path = resolveConfigPath(values.config);
  const result = loadConfigFile(path);
  if (result.ok) {
    process.stdout.write('ok\n');
    return 0;
  }
  process.stderr.write(`${path}: ${result.error.length} problem${result.error.length === 1 ? '' : 's'}\n`);
  for (const line of result.error) process.stderr.write(`${line}\n`);
  return 1;
}
