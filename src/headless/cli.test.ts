import { describe, expect, it } from 'vitest';
import { cli, usage } from './cli.js';

describe('voltmon CLI dispatcher', () => {
  it('lists every subcommand in its usage text', () => {
    for (const name of ['run', 'decode', 'simulate', 'query', 'token', 'sync', 'backtest']) expect(usage()).toContain(name);
  });
  it('exits 2 on an unknown subcommand', async () => {
    expect(await cli(['frobnicate'])).toBe(2);
  });
});
