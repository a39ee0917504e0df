import { describe, expect, it } from 'vitest';
import { createProgress, formatBar } from './progress.js';

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  let t = 0;
  const progress = createProgress({ isTTY, write: (s: string) => chunks.push(s) }, () => t);
  return { chunks, progress, advance: (ms: number) => (t += ms) };
}

describe('progress output', () => {
  it('draws a bar with percentage and counts', () => {
    expect(formatBar('shipping', 250, 1000)).toBe('shipping [########----------------------] 25% 250/1000');
    expect(formatBar('empty', 0, 0)).toBe('empty [##############################] 100% 0/0');
  });

  it('redraws one line on a terminal, at most every 100 ms, and ends it with a newline', () => {
    const { chunks, progress, advance } = capture(true);
    progress.update('shipping', 1, 100);
    progress.update('shipping', 2, 100);
    advance(150);
    progress.update('shipping', 3, 100);
    progress.finish('shipping', 100, 100);
    expect(chunks.length).toBe(3);
    expect(chunks.every((c) => c.startsWith('\r'))).toBe(true);
    expect(chunks.at(-1)?.endsWith('100% 100/100\u001b[K\n')).toBe(true);
  });

  it('writes plain lines elsewhere: one per tenth passed or per 5 s, not one per update', () => {
    const { chunks, progress, advance } = capture(false);
    for (let done = 1; done <= 1000; done++) progress.update('QPIGS', done, 1000);
    expect(chunks.length).toBe(11);
    expect(chunks[0]).toBe('QPIGS: 1 of 1000\n');
    advance(6000);
    progress.update('QPIGS', 1000, 1000);
    expect(chunks.length).toBe(12);
    progress.finish('QPIGS', 1000, 1000);
    expect(chunks.length).toBe(12);
    expect(chunks.every((c) => !c.includes('\r'))).toBe(true);
  });
});
