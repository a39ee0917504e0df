import { describe, expect, it } from 'vitest';
import { nextSlot, PollSchedule } from './poll-schedule.js';

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
    expect(s.nextDueMs()).toBe(1000);
    s.done('QPIGS', 1500);
    expect(s.due(5000)).toEqual(['QPIGS', 'QMOD']);
  });

  it('keeps the cadence when a poll ends late, without a burst of catch-up polls', () => {
    const s = new PollSchedule([{ name: 'QPIGS', intervalMs: 1000 }], 0);
    s.done('QPIGS', 4200);
    expect(s.due(4200)).toEqual(['QPIGS']);
    s.done('QPIGS', 4300);
    expect(s.due(4300)).toEqual([]);
    expect(s.nextDueMs()).toBe(5000);
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
    expect(s.nextDueMs()).toBeNull();
  });

  it('puts every command on the grid of its interval after the first turn, so devices started apart poll together', () => {
    const inverter = new PollSchedule(plan, 1_000_234);
    const meter = new PollSchedule([{ name: 'meter', intervalMs: 1000 }], 1_000_871);
    for (const name of inverter.due(1_000_234)) inverter.done(name, 1_000_800);
    meter.done('meter', 1_000_950);
    expect(inverter.nextDueMs()).toBe(1_001_000);
    expect(meter.nextDueMs()).toBe(1_001_000);
    expect(inverter.due(1_001_000)).toEqual(['QPIGS']);
    // QMOD every 5 s on multiples of 5 s, QPIRI every minute on the minute: all due with QPIGS then.
    for (let t = 1_001_000; t < 1_020_000; t += 1000) for (const name of inverter.due(t)) inverter.done(name, t + 300);
    expect(inverter.due(1_005_000)).toEqual([]);
    expect(inverter.due(1_020_000)).toEqual(['QPIGS', 'QMOD', 'QPIRI']);
  });
});

describe('nextSlot', () => {
  it('is the next whole multiple of the interval, strictly after the time given', () => {
    expect(nextSlot(1000, 1000)).toBe(2000);
    expect(nextSlot(1999, 1000)).toBe(2000);
    expect(nextSlot(61_000, 60_000)).toBe(120_000);
  });
});
