import { describe, expect, it } from 'vitest';
import { limitYoungGeneration } from './heap-flags.js';

describe('limitYoungGeneration', () => {
  it('leaves a semi-space size given in NODE_OPTIONS or on the command line alone', () => {
    expect(limitYoungGeneration('--max-semi-space-size=8', [])).toBe(false);
    expect(limitYoungGeneration('', ['--max_semi_space_size=8'])).toBe(false);
  });

  it('applies the cap when the operator chose none', () => {
    expect(limitYoungGeneration('--enable-source-maps', ['--no-warnings'])).toBe(true);
  });
});
