import { describe, expect, it } from 'vitest';
import { collectGarbagePeriodically, DAEMON_SEMI_SPACE_MB, daemonV8Flags } from './daemon-v8-flags.js';

const semiSpace = `--max-semi-space-size=${DAEMON_SEMI_SPACE_MB}`;

describe('daemonV8Flags', () => {
  it('leaves a semi-space size given in NODE_OPTIONS or on the command line alone', () => {
    expect(daemonV8Flags('--max-semi-space-size=8', [])).not.toContain(semiSpace);
    expect(daemonV8Flags('', ['--max_semi_space_size=8'])).not.toContain(semiSpace);
  });

  it('leaves the compilers alone when the operator chose a compiler setting', () => {
    for (const chosen of ['--turbofan', '--no-maglev', '--lite-mode', '--opt']) {
      expect(daemonV8Flags('', [chosen])).toEqual([semiSpace]);
    }
  });

  it('caps the young generation and turns the optimizing compilers off when the operator chose neither', () => {
    expect(daemonV8Flags('--enable-source-maps', ['--no-warnings', '--optimize-for-size'])).toEqual([
      semiSpace,
      '--no-opt',
      '--no-maglev',
      '--no-sparkplug',
    ]);
  });
});

describe('collectGarbagePeriodically', () => {
  it('frees garbage the old generation would otherwise keep until it grows further', async () => {
    const stop = collectGarbagePeriodically(50);
    try {
      let garbage: Array<{ n: number; s: string }> | null = Array.from({ length: 300_000 }, (_, n) => ({ n, s: `sample ${n}` }));
      const withGarbage = process.memoryUsage().heapUsed;
      garbage = null;
      await new Promise((r) => setTimeout(r, 200));
      expect(garbage).toBeNull();
      expect(process.memoryUsage().heapUsed).toBeLessThan(withGarbage - 10 * 1024 * 1024);
    } finally {
      stop();
    }
  });
});
