import { describe, expect, it } from 'vitest';
import { PollSchedule } from './poll-schedule.js';

const plan = [
  { name: 'QPIGS', intervalMs: 1000 },
  { name: 'QMOD', intervalMs: 5000 },
  { name: 'QPIRI', intervalMs: 60_000 },
];

describe('PollSchedule', () => {
  it('runs everything at start, then each command at its own cadence', () => {
    const s = new PollSchedule(plan, 0);
    expect(s.due(0)).toEqual(['QPIGS', 'QMOD', 'QPIRI']);
    for (const name of s.due(0)) s.done(name, 600);
    expect(s.due(600)).toEqual([]);
    expect(s.delayUntilNext(600)).toBe(400);
    s.done('QPIGS', 1500);
    expect(s.due(5000)).toEqual(['QPIGS', 'QMOD']);
  });

  it('keeps the cadence when a poll ends late, without a burst of catch-up polls', () => {
    const s = new PollSchedule([{ name: 'QPIGS', intervalMs: 1000 }], 0);
    s.done('QPIGS', 4200);
    expect(s.due(4200)).toEqual(['QPIGS']);
    s.done('QPIGS', 4300);
    expect(s.due(4300)).toEqual([]);
    expect(s.delayUntilNext(4300)).toBe(900);
  });

  it('can make a command due now and drop one the device refuses', () => {
    const s = new PollSchedule(plan, 0);
    for (const name of s.due(0)) s.done(name, 10);
    s.trigger('QPIRI', 20);
    expect(s.due(20)).toEqual(['QPIRI']);
    s.remove('QMOD');
    expect(s.names).toEqual(['QPIGS', 'QPIRI']);
    expect(s.due(100_000)).toEqual(['QPIGS', 'QPIRI']);
  });

  it('ignores commands with a zero interval (switched off) and reports no delay for an empty plan', () => {
    const s = new PollSchedule([{ name: 'Q1', intervalMs: 0 }], 0);
    expect(s.due(0)).toEqual([]);
    expect(s.delayUntilNext(0)).toBeNull();
  });
});
