import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../src/shared/events.js';
import type { Sample } from '../src/shared/samples.js';
import {
  createGpioRelay,
  createRelayDriver,
  driveSafe,
  fileLine,
  resolveSysfsLine,
  type GpioLine,
  type Level,
  type RelayDriverOptions,
  type RelayPolarity,
} from '../src/main/devices/relay/index.js';

/** An in-memory line with the shape of onoff's Gpio. */
class FakeGpio implements GpioLine {
  writes: Level[] = [];
  unreadable = false;
  constructor(public level: Level) {}
  writeSync(value: Level): void {
    this.writes.push(value);
    this.level = value;
  }
  readSync(): Level {
    if (this.unreadable) throw new Error('EIO reading value');
    return this.level;
  }
  unexport(): void {}
}

const MIN = 60_000;

function setup(polarity: RelayPolarity = 'activeHigh', extra: Partial<RelayDriverOptions> = {}) {
  let t = 1_700_000_000_000;
  const gpio = new FakeGpio(polarity === 'activeHigh' ? 0 : 1);
  const openedAt: Level[] = [];
  const samples: Sample[] = [];
  const events: EngineEvent[] = [];
  const driver = createRelayDriver({
    openLine: async (initial) => {
      openedAt.push(initial);
      gpio.level = initial;
      return gpio;
    },
    polarity,
    now: () => t,
    scheduler: { setInterval: () => 1, clearInterval: () => {} },
    onEvent: (e) => events.push(e),
    ...extra,
  });
  driver.onSample((s) => samples.push(s));
  return {
    driver,
    gpio,
    openedAt,
    samples,
    events,
    advance: (ms: number) => {
      t += ms;
    },
    now: () => t,
  };
}

const battery = (tsMs: number, voltageV: number, currentA: number): Sample[] => [
  { device: 'inverter', tsMs, source: 'QPIGS', values: { batteryVoltageV: voltageV } },
  { device: 'bms', tsMs, source: '0x90', values: { currentA } },
];

describe('grid relay driver', () => {
  it.each([
    ['activeHigh', 1],
    ['activeLow', 0],
  ] as const)('opens the line already at the grid-connected level (%s: %i) and reports it', async (polarity, level) => {
    const r = setup(polarity);
    await r.driver.start();
    expect(r.openedAt).toEqual([level]);
    expect(r.gpio.level).toBe(level);
    expect(r.driver.isGridConnected()).toBe(true);
    expect(r.samples.at(-1)?.values).toEqual({ gridConnected: true });
    expect(r.driver.linkState()).toBe('online');
  });

  it('disconnects by driving the other level and reads the state back from the line', async () => {
    const r = setup('activeLow');
    await r.driver.start();
    await expect(r.driver.setGridConnected(false)).resolves.toBe(false);
    expect(r.gpio.level).toBe(1);
    expect(r.samples.at(-1)?.values).toEqual({ gridConnected: false });
  });

  it('spaces commanded switches and caps them per hour, but never delays connecting', async () => {
    const r = setup('activeHigh', { switchLimit: { minIntervalMs: MIN, maxPerWindow: 3, windowMs: 60 * MIN } });
    await r.driver.start();
    await r.driver.setGridConnected(false);
    await expect(r.driver.setGridConnected(true)).resolves.toBe(true);
    await expect(r.driver.setGridConnected(false)).rejects.toThrow(/rate limited/);
    r.advance(MIN);
    await expect(r.driver.setGridConnected(false)).resolves.toBe(false);
    r.advance(MIN);
    await r.driver.setGridConnected(true);
    r.advance(MIN);
    // Four switches within the hour: the fifth disconnect is over the cap of three per hour.
    await expect(r.driver.setGridConnected(false)).rejects.toThrow(/limit 3/);
    expect(r.driver.isGridConnected()).toBe(true);
  });

  it('drives the safe level on stop and keeps the line exported', async () => {
    const r = setup('activeHigh');
    let unexported = false;
    r.gpio.unexport = () => {
      unexported = true;
    };
    await r.driver.start();
    await r.driver.setGridConnected(false);
    await r.driver.stop();
    expect(r.gpio.level).toBe(1);
    expect(unexported).toBe(false);
    expect(r.driver.isGridConnected()).toBeNull();
  });

  it('connects the grid when the logger has been silent for the watchdog timeout, not before', async () => {
    const r = setup('activeHigh', { watchdogTimeoutMs: 2 * MIN });
    await r.driver.start();
    r.driver.loggerHeartbeat();
    await r.driver.setGridConnected(false);
    r.advance(2 * MIN - 1000);
    r.driver.tick();
    expect(r.driver.isGridConnected()).toBe(false);
    r.advance(1000);
    r.driver.tick();
    expect(r.driver.isGridConnected()).toBe(true);
    expect(r.events.at(-1)?.message).toMatch(/no heartbeat from the logger for 120 s/);
    r.advance(5 * MIN);
    await expect(r.driver.setGridConnected(false)).rejects.toThrow(/watchdog/);
    r.driver.loggerHeartbeat();
    await expect(r.driver.setGridConnected(false)).resolves.toBe(false);
  });

  it('heartbeats keep the grid disconnected', async () => {
    const r = setup('activeHigh', { watchdogTimeoutMs: 2 * MIN });
    await r.driver.start();
    await r.driver.setGridConnected(false);
    for (let i = 0; i < 30; i += 1) {
      r.advance(30_000);
      r.driver.loggerHeartbeat();
      r.driver.tick();
    }
    expect(r.driver.isGridConnected()).toBe(false);
  });

  it('connects after 4 minutes of discharging below 51.2 V (the built-in battery rule), not one tick earlier', async () => {
    const r = setup('activeHigh');
    await r.driver.start();
    await r.driver.setGridConnected(false);
    for (let s = 0; s < 240; s += 10) {
      for (const sample of battery(r.now(), 51.0, -30)) r.driver.observe(sample);
      r.driver.tick();
      r.advance(10_000);
    }
    // t = 240 s after the first low reading, but the last check was at 230 s.
    expect(r.driver.isGridConnected()).toBe(false);
    for (const sample of battery(r.now(), 51.0, -30)) r.driver.observe(sample);
    r.driver.tick();
    expect(r.driver.isGridConnected()).toBe(true);
    expect(r.events.at(-1)?.message).toMatch(/battery 51 V below 51.2 V/);
  });

  it('does not connect for a low battery that is charging, and refuses no disconnect then', async () => {
    const r = setup('activeHigh');
    await r.driver.start();
    await r.driver.setGridConnected(false);
    for (let s = 0; s < 600; s += 10) {
      for (const sample of battery(r.now(), 51.0, 12)) r.driver.observe(sample);
      r.driver.tick();
      r.advance(10_000);
    }
    expect(r.driver.isGridConnected()).toBe(false);
    expect(r.driver.safetyHold()).toBeNull();
  });

  it('refuses to disconnect while the battery is low and draining', async () => {
    const r = setup('activeHigh');
    await r.driver.start();
    for (const sample of battery(r.now(), 50.9, -20)) r.driver.observe(sample);
    await expect(r.driver.setGridConnected(false)).rejects.toThrow(/refused to disconnect the grid: battery 50.9 V/);
    expect(r.driver.isGridConnected()).toBe(true);
  });

  it('treats an unreadable line as unknown and drives it safe', async () => {
    const r = setup('activeHigh');
    await r.driver.start();
    await r.driver.setGridConnected(false);
    r.gpio.unreadable = true;
    r.driver.tick();
    r.driver.tick();
    r.driver.tick();
    expect(r.events.filter((e) => /could not be read/.test(e.message))).toHaveLength(1);
    expect(r.gpio.level).toBe(1);
    expect(r.driver.isGridConnected()).toBeNull();
    expect(r.driver.linkState()).toBe('offline');
    await expect(r.driver.setGridConnected(false)).rejects.toThrow(/unknown/);
    r.gpio.unreadable = false;
    r.driver.tick();
    expect(r.driver.isGridConnected()).toBe(true);
    expect(r.driver.linkState()).toBe('online');
  });

  it('notices a line changed behind its back and reports it', async () => {
    const r = setup('activeHigh');
    await r.driver.start();
    r.gpio.level = 0;
    r.driver.tick();
    expect(r.driver.isGridConnected()).toBe(false);
    expect(r.samples.at(-1)?.values).toEqual({ gridConnected: false });
  });

  it('refuses commands before start', async () => {
    const r = setup();
    await expect(r.driver.setGridConnected(true)).rejects.toThrow(/not started/);
    expect(r.driver.isGridConnected()).toBeNull();
  });

  it('driveSafe writes the connected level whatever the line held', async () => {
    const gpio = new FakeGpio(1);
    const result = await driveSafe(async () => gpio, 'activeLow');
    expect(result).toEqual({ ok: true, level: 0 });
    expect(gpio.level).toBe(0);
    const broken = await driveSafe(async () => {
      throw new Error('sysfs GPIO is missing');
    }, 'activeHigh');
    expect(broken).toEqual({ ok: false, reason: 'sysfs GPIO is missing' });
  });
});

describe('sysfs line numbers', () => {
  function fakeSysfs(chips: Array<{ name: string; label: string; base: number; ngpio: number }>): string {
    const root = mkdtempSync(join(tmpdir(), 'voltmon-sysfs-'));
    for (const chip of chips) {
      mkdirSync(join(root, chip.name));
      writeFileSync(join(root, chip.name, 'label'), `${chip.label}\n`);
      writeFileSync(join(root, chip.name, 'base'), `${chip.base}\n`);
      writeFileSync(join(root, chip.name, 'ngpio'), `${chip.ngpio}\n`);
    }
    writeFileSync(join(root, 'export'), '');
    return root;
  }

  it('uses the BCM number on kernels before 6.6 (base 0)', () => {
    const root = fakeSysfs([
      { name: 'gpiochip0', label: 'pinctrl-bcm2711', base: 0, ngpio: 58 },
      { name: 'gpiochip504', label: 'raspberrypi-exp-gpio', base: 504, ngpio: 8 },
    ]);
    expect(resolveSysfsLine(26, { root })).toMatchObject({ ok: true, value: { sysfsNumber: 26, chipLabel: 'pinctrl-bcm2711' } });
  });

  it('adds the chip base on kernels from 6.6 (BCM 26 -> 538 on a Pi 4)', () => {
    const root = fakeSysfs([
      { name: 'gpiochip512', label: 'pinctrl-bcm2711', base: 512, ngpio: 58 },
      { name: 'gpiochip570', label: 'raspberrypi-exp-gpio', base: 570, ngpio: 8 },
    ]);
    expect(resolveSysfsLine(26, { root })).toMatchObject({ ok: true, value: { sysfsNumber: 538 } });
  });

  it('picks the RP1 header chip on a Pi 5', () => {
    const root = fakeSysfs([
      { name: 'gpiochip512', label: 'gpio-brcmstb@107d508500', base: 512, ngpio: 32 },
      { name: 'gpiochip571', label: 'pinctrl-rp1', base: 571, ngpio: 54 },
    ]);
    expect(resolveSysfsLine(26, { root })).toMatchObject({ ok: true, value: { sysfsNumber: 597, chipLabel: 'pinctrl-rp1' } });
  });

  it('says clearly when sysfs GPIO is missing or has no Pi chip', () => {
    const missing = resolveSysfsLine(26, { root: join(tmpdir(), 'voltmon-no-such-dir', 'gpio') });
    expect(missing).toMatchObject({ ok: false });
    expect(!missing.ok && missing.error).toMatch(/sysfs GPIO is missing .*CONFIG_GPIO_SYSFS/);
    const other = resolveSysfsLine(26, { root: fakeSysfs([{ name: 'gpiochip0', label: 'gpio-mockup-A', base: 0, ngpio: 8 }]) });
    expect(!other.ok && other.error).toMatch(/no Raspberry Pi GPIO controller .*gpio-mockup-A/);
    expect(resolveSysfsLine(99).ok).toBe(false);
  });

});

describe('relay from the config', () => {
  it('takes polarity and the watchdog timeout from the relay section', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'voltmon-line-')), 'gpio26');
    let t = 0;
    const relay = createGpioRelay({ bcmLine: 26, polarity: 'activeLow', watchdog: { timeoutS: 120 } }, { openLine: fileLine(path), now: () => t });
    await relay.start();
    expect(readFileSync(path, 'utf8').trim()).toBe('0');
    await relay.setGridConnected(false);
    expect(readFileSync(path, 'utf8').trim()).toBe('1');
    t += 120_000;
    relay.tick();
    expect(readFileSync(path, 'utf8').trim()).toBe('0');
    expect(relay.description).toBe('grid relay on GPIO 26 (activeLow)');
    await relay.stop();
  });
});

describe('file-backed line', () => {
  it('starts at the level it is opened with, keeps writes in the file and refuses garbage', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'voltmon-line-')), 'relay');
    const line = await fileLine(path)(1);
    expect(readFileSync(path, 'utf8').trim()).toBe('1');
    line.writeSync(0);
    expect(line.readSync()).toBe(0);
    writeFileSync(path, 'banana');
    expect(() => line.readSync()).toThrow(/not 0 or 1/);
  });
});
