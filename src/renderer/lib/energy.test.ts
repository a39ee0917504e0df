import { describe, expect, it } from 'vitest';
import { placeRows, selfConsumptionPct, selfSufficiencyPct, sumTotals, zeroTotals } from './energy';

const row = (startTsMs: number, kwh: Partial<ReturnType<typeof zeroTotals>>) => ({ startTsMs, kwh: { ...zeroTotals(), ...kwh } });

describe('energy totals', () => {
  it('add up every quantity over the rows', () => {
    const t = sumTotals([row(0, { pvProduced: 1.5, gridImported: 0.25 }), row(1, { pvProduced: 2, loadConsumed: 3, gridExported: 0.5 })]);
    expect(t).toEqual({ pvProduced: 3.5, loadConsumed: 3, gridImported: 0.25, gridExported: 0.5, batteryCharged: 0, batteryDischarged: 0 });
  });

  it('self-consumption: 10 kWh produced, 2 exported is 80 %', () => {
    expect(selfConsumptionPct({ ...zeroTotals(), pvProduced: 10, gridExported: 2 })).toBe(80);
  });

  it('self-sufficiency: 8 kWh consumed, 2 imported is 75 %', () => {
    expect(selfSufficiencyPct({ ...zeroTotals(), loadConsumed: 8, gridImported: 2 })).toBe(75);
  });

  it('no production or consumption has no share rather than 0 % or 100 %', () => {
    expect(selfConsumptionPct(zeroTotals())).toBeNull();
    expect(selfSufficiencyPct(zeroTotals())).toBeNull();
  });

  it('shares stay within 0..100 when meters disagree', () => {
    expect(selfConsumptionPct({ ...zeroTotals(), pvProduced: 1, gridExported: 3 })).toBe(0);
  });
});

describe('rows on a slot grid', () => {
  it('leaves hours without data empty in their place', () => {
    const placed = placeRows([0, 10, 20, 30], [row(10, { pvProduced: 1 }), row(30, { pvProduced: 2 })], 40);
    expect(placed.map((r) => r?.kwh.pvProduced ?? null)).toEqual([null, 1, null, 2]);
  });

  it('puts a row that starts inside a slot into that slot and ignores rows outside the grid', () => {
    const placed = placeRows([0, 10], [row(15, { pvProduced: 1 }), row(45, { pvProduced: 9 }), row(-5, { pvProduced: 9 })], 20);
    expect(placed.map((r) => r?.kwh.pvProduced ?? null)).toEqual([null, 1]);
  });
});
