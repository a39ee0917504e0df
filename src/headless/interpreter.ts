/**
 * The installed `voltmon` starts Node with V8's interpreter only (`--lite-mode`: no JIT, no WebAssembly;
 * scripts/bundle-cli.mjs writes these flags into the bin's #! line). That is what keeps the daemon under
 * its memory target, and V8 takes the setting only at start-up. The few batch commands that crunch numbers
 * (a backtest over a year of samples runs ~2x slower without a JIT) run again in a child process with it.
 */
/** Node flags of the installed bin; --no-expose-wasm silences V8's note that lite mode turns WebAssembly off. */
export const INTERPRETER_FLAGS = ['--lite-mode', '--no-expose-wasm'] as const;

const NO_JIT = /^--(lite[-_]mode|jitless)$/;

export function runsWithoutJit(execArgv: readonly string[] = process.execArgv): boolean {
  return execArgv.some((arg) => NO_JIT.test(arg));
}

/** The node arguments that run `script argv` again with the JIT: the same flags minus the interpreter ones. */
export function argsWithJit(execArgv: readonly string[], script: string, argv: readonly string[]): string[] {
  const interpreterOnly = new Set<string>(INTERPRETER_FLAGS);
  return [...execArgv.filter((arg) => !NO_JIT.test(arg) && !interpreterOnly.has(arg)), script, ...argv];
}

/** Runs this command again in a child with the JIT, sharing the terminal; resolves to its exit code. */
export async function rerunWithJit(argv: readonly string[]): Promise<number> {
  // Loaded here, not at the top: the daemon never needs child_process (~0.4 MB of heap).
  const { spawnSync } = await import('node:child_process');
  const script = process.argv[1] ?? '';
  const child = spawnSync(process.execPath, argsWithJit(process.execArgv, script, argv), { stdio: 'inherit' });
  if (child.error) {
    process.stderr.write(`voltmon: could not start ${process.execPath}: ${child.error.message}\n`);
    return 1;
  }
  return child.status ?? 1;
}
