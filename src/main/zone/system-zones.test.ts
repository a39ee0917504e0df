import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isZoneName, loadSystemZone, systemTimeZone, systemZoneLookup } from './system-zones.js';

const HOUR = 3_600_000;
const SYSTEM = '/usr/share/zoneinfo';
const JULY_2026 = Date.parse('2026-07-01T00:00:00Z');

/** A zone directory of its own, whose `Europe/Berlin` holds Kolkata's rules (+05:30), so a read shows. */
function fakeZoneDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'voltmon-zones-'));
  mkdirSync(join(root, 'zones', 'Europe'), { recursive: true });
  copyFileSync(`${SYSTEM}/Asia/Kolkata`, join(root, 'zones', 'Europe', 'Berlin'));
  copyFileSync(`${SYSTEM}/Asia/Kolkata`, join(root, 'Outside'));
  writeFileSync(join(root, 'zones', 'Broken'), 'TZif2 but nothing after it');
  return root;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('zone files by name', () => {
  it('reads the system zone directory by default', () => {
    expect(systemZoneLookup('Europe/Berlin')?.(JULY_2026)).toBe(2 * HOUR);
    expect(systemZoneLookup('America/Argentina/Buenos_Aires')?.(JULY_2026)).toBe(-3 * HOUR);
    expect(systemZoneLookup('Etc/GMT+5')?.(JULY_2026)).toBe(-5 * HOUR);
    expect(loadSystemZone('Europe/Berlin')).toBe(loadSystemZone('Europe/Berlin'));
  });

  it('reads TZDIR when set, and nothing outside it', () => {
    const root = fakeZoneDir();
    vi.stubEnv('TZDIR', join(root, 'zones'));
    expect(systemZoneLookup('Europe/Berlin')?.(JULY_2026)).toBe(5.5 * HOUR);
    for (const name of ['../Outside', 'Europe/../../Outside', `${root}/Outside`, '/etc/passwd', 'Europe\\Berlin', 'Europe/Berlin\0', '.', 'Europe/./Berlin']) {
      expect(loadSystemZone(name), JSON.stringify(name)).toBeNull();
    }
  });

  it('a missing, unparsable or non-zone file is null, not an error', () => {
    const root = fakeZoneDir();
    vi.stubEnv('TZDIR', join(root, 'zones'));
    expect(loadSystemZone('Broken')).toBeNull();
    expect(loadSystemZone('Mars/Olympus_Mons')).toBeNull();
    expect(loadSystemZone('Europe')).toBeNull();
  });

  it('tells zone names from other files of the tree', () => {
    for (const name of ['UTC', 'Etc/GMT-14', 'America/Port-au-Prince', 'EST5EDT']) expect(isZoneName(name), name).toBe(true);
    for (const name of ['', 'zone.tab', 'tzdata.zi', 'posixrules', 'localtime', 'Factory', 'right/Europe/Berlin', 'posix/Europe/Berlin', 'Europe//Berlin', '/UTC', '_x']) {
      expect(isZoneName(name), name).toBe(false);
    }
    expect(loadSystemZone('right/Europe/Berlin')).toBeNull();
  });
});

describe('the machine’s zone', () => {
  function machine(options: { localtime?: string; timezone?: string }): { localtimePath: string; timezonePath: string } {
    const dir = mkdtempSync(join(tmpdir(), 'voltmon-etc-'));
    const localtimePath = join(dir, 'localtime');
    const timezonePath = join(dir, 'timezone');
    if (options.localtime) symlinkSync(options.localtime, localtimePath);
    if (options.timezone !== undefined) writeFileSync(timezonePath, options.timezone);
    return { localtimePath, timezonePath };
  }

  it('TZ wins, with or without its leading colon or as a path into the tree', () => {
    const etc = machine({ localtime: `${SYSTEM}/Asia/Tokyo`, timezone: 'Asia/Tokyo\n' });
    vi.stubEnv('TZ', 'Europe/Lisbon');
    expect(systemTimeZone(etc)).toBe('Europe/Lisbon');
    vi.stubEnv('TZ', ':America/New_York');
    expect(systemTimeZone(etc)).toBe('America/New_York');
    vi.stubEnv('TZ', `:${SYSTEM}/Australia/Lord_Howe`);
    expect(systemTimeZone(etc)).toBe('Australia/Lord_Howe');
    vi.stubEnv('TZ', '');
    expect(systemTimeZone(etc)).toBe('UTC');
  });

  it('a TZ that names no zone file gives null: local time then follows TZ, not /etc', () => {
    const etc = machine({ localtime: `${SYSTEM}/Asia/Tokyo`, timezone: 'Asia/Tokyo\n' });
    vi.stubEnv('TZ', 'CET-1CEST,M3.5.0,M10.5.0/3');
    expect(systemTimeZone(etc)).toBeNull();
    vi.stubEnv('TZ', ':../etc/passwd');
    expect(systemTimeZone(etc)).toBeNull();
  });

  it('without TZ: the /etc/localtime link, else /etc/timezone, else null', () => {
    vi.stubEnv('TZ', undefined);
    expect(systemTimeZone(machine({ localtime: '../usr/share/zoneinfo/Pacific/Chatham', timezone: 'Asia/Tokyo\n' }))).toBe('Pacific/Chatham');
    expect(systemTimeZone(machine({ localtime: `${SYSTEM}/posix/Europe/Dublin` }))).toBe('Europe/Dublin');
    expect(systemTimeZone(machine({ localtime: '/nowhere/Not/A_Zone', timezone: 'Asia/Tokyo\n' }))).toBe('Asia/Tokyo');
    expect(systemTimeZone(machine({ timezone: 'Africa/Casablanca' }))).toBe('Africa/Casablanca');
    expect(systemTimeZone(machine({ timezone: 'Mars/Olympus_Mons\n' }))).toBeNull();
    expect(systemTimeZone(machine({}))).toBeNull();
  });

  it('with TZDIR set, a link into it names the zone', () => {
    const root = fakeZoneDir();
    vi.stubEnv('TZ', undefined);
    vi.stubEnv('TZDIR', join(root, 'zones'));
    expect(systemTimeZone(machine({ localtime: join(root, 'zones', 'Europe', 'Berlin') }))).toBe('Europe/Berlin');
  });
});
