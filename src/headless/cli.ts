#!/usr/bin/env node
/** The `voltmon` command: dispatches to one module per subcommand, loaded on demand to keep start-up fast. */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { installSystemZoneRules } from '../main/zone/system-zones.js';
import { rerunWithJit, runsWithoutJit } from './interpreter.js';

export interface CommandModule {
  /** Runs the subcommand with the arguments after its name; resolves to the process exit code. */
  main(argv: string[]): Promise<number>;
}

interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
  /** Number crunching: run with V8's JIT even when the bin started Node as an interpreter. */
  jit?: boolean;
}

const COMMANDS: Record<string, CommandEntry> = {
  run: { summary: 'run the daemon (--simulate for the built-in plant)', load: () => import('./commands/run.js') },
  decode: { summary: 'decode one device frame to JSON', load: () => import('./commands/decode.js') },
  simulate: { summary: 'expose simulated devices on ptys/TCP', load: () => import('./commands/simulate.js') },
  query: { summary: 'send one raw command to a device', load: () => import('./commands/query.js') },
  token: { summary: 'add, list or revoke API tokens', load: () => import('./commands/token.js') },
  config: { summary: 'check a config file', load: () => import('./commands/config.js') },
  sync: { summary: 'ship the outbox to MariaDB now, with progress', load: () => import('./commands/sync.js') },
  'import-legacy': { summary: "import the original installation's MariaDB tables", load: () => import('./commands/import-legacy.js'), jit: true },
  backtest: { summary: 'run the controller over history and report its actions', load: () => import('./commands/backtest.js'), jit: true },
  relay: { summary: 'drive the grid relay (relay safe: connect the grid)', load: () => import('./commands/relay.js') },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: voltmon <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function cli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`voltmon: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  if (command.jit && runsWithoutJit()) return rerunWithJit(argv);
  // Before any command builds a zone clock: local time from the zone files keeps ICU out of the process.
  installSystemZoneRules();
  const mod = await command.load();
  return mod.main(rest);
}

/** True when this file is the program node was asked to run, also through a symlink (npm's global bin). */
function isMainModule(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isMainModule()) {
  cli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`voltmon: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
