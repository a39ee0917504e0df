import { describe, expect, it } from 'vitest';
import { argsWithJit, INTERPRETER_FLAGS, runsWithoutJit } from './interpreter.js';

describe('interpreter-only start of the installed bin', () => {
  it('knows when Node runs without a JIT', () => {
    expect(runsWithoutJit([...INTERPRETER_FLAGS])).toBe(true);
    expect(runsWithoutJit(['--jitless'])).toBe(true);
    expect(runsWithoutJit(['--max-semi-space-size=2'])).toBe(false);
    expect(runsWithoutJit([])).toBe(false);
  });

  it('reruns a command with the operator’s other flags but without the interpreter-only ones', () => {
    expect(argsWithJit(['--lite-mode', '--no-expose-wasm', '--max-old-space-size=200'], '/usr/lib/voltmon/cli.js', ['backtest', '--simulate-days', '3'])).toEqual([
      '--max-old-space-size=200',
      '/usr/lib/voltmon/cli.js',
      'backtest',
      '--simulate-days',
      '3',
    ]);
    expect(argsWithJit(['--jitless'], 'cli.js', [])).toEqual(['cli.js']);
  });
});
