import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SharedAlarm, sharedAlarmFor } from './shared-alarm.js';

describe('SharedAlarm', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('wakes everyone due at the same instant with one timer, at that instant', () => {
    const alarm = new SharedAlarm(Date.now);
    const woken: string[] = [];
    alarm.at(1_001_000, () => woken.push('inverter'));
    alarm.at(1_001_000, () => woken.push('bms'));
    alarm.at(1_001_000, () => woken.push('meter'));
    alarm.at(1_005_000, () => woken.push('later'));
    expect(vi.getTimerCount()).toBe(2);
    vi.advanceTimersByTime(999);
    expect(woken).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(woken).toEqual(['inverter', 'bms', 'meter']);
    expect(alarm.pending).toBe(1);
    vi.advanceTimersByTime(4000);
    expect(woken).toEqual(['inverter', 'bms', 'meter', 'later']);
    expect(alarm.pending).toBe(0);
  });

  it('wakes at once for an instant already past', () => {
    const alarm = new SharedAlarm(Date.now);
    let woken = false;
    alarm.at(999_000, () => (woken = true));
    vi.advanceTimersByTime(0);
    expect(woken).toBe(true);
  });

  it('a cancelled sleeper is not woken; the timer goes with the last one', () => {
    const alarm = new SharedAlarm(Date.now);
    const woken: string[] = [];
    const cancelBms = alarm.at(1_001_000, () => woken.push('bms'));
    const cancelMeter = alarm.at(1_001_000, () => woken.push('meter'));
    cancelBms();
    expect(vi.getTimerCount()).toBe(1);
    cancelMeter();
    expect(vi.getTimerCount()).toBe(0);
    expect(alarm.pending).toBe(0);
    // Cancelling twice, or after the instant took a new timer, touches nothing else.
    alarm.at(1_001_000, () => woken.push('again'));
    cancelMeter();
    vi.advanceTimersByTime(1000);
    expect(woken).toEqual(['again']);
  });

  it('is one alarm per clock', () => {
    const clock = (): number => 42;
    expect(sharedAlarmFor(Date.now)).toBe(sharedAlarmFor(Date.now));
    expect(sharedAlarmFor(clock)).not.toBe(sharedAlarmFor(Date.now));
  });
});
