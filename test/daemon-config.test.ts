import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfigText } from '../src/main/engine/config-file.js';
import { parseConfig } from '../src/shared/config.js';

const minimal = {
  site: { name: 'logger', timeZone: 'Europe/Berlin' },
  battery: { chemistry: 'lifepo4', cellsInSeries: 16, capacityAh: 280, cellMinV: 2.8, cellMaxV: 3.65 },
};
const noSecrets = { env: {} };
const errorsOf = (raw: unknown): string[] => {
  const r = parseConfig(raw);
  return r.ok ? [] : r.error;
};

describe('config schema', () => {
  it('fills the defaults a user need not write: loopback API on 48211, controller off, 30 days raw', () => {
    const r = parseConfig(minimal);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.api.host).toBe('127.0.0.1');
    expect(r.value.api.port).toBe(48211);
    expect(r.value.api.corsOrigins).toEqual([]);
    expect(r.value.controller.mode).toBe('off');
    expect(r.value.store.retentionDays.raw).toBe(30);
  });

  it('names the key, the value and what is allowed', () => {
    const errors = errorsOf({ ...minimal, battery: { ...minimal.battery, cellsInSeries: 17.5 } });
    expect(errors).toEqual(['battery.cellsInSeries: got 17.5, expected an integer from 4 to 32']);
  });

  it('refuses a time zone Intl does not know', () => {
    const errors = errorsOf({ ...minimal, site: { name: 'x', timeZone: 'Europe/Berlinn' } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^site\.timeZone: got "Europe\/Berlinn", expected an IANA time zone/);
  });

  it('reports a misspelt key with the keys that are allowed there', () => {
    const errors = errorsOf({ ...minimal, devices: { bms: { transport: { type: 'serial', path: '/dev/bms', bood: 9600 } } } });
    expect(errors).toEqual(["devices.bms.transport: unknown key 'bood', expected one of type, path, baud"]);
  });

  it('reports a missing required key', () => {
    const { battery: _battery, ...noBattery } = minimal;
    expect(errorsOf(noBattery)).toEqual(['battery: missing, expected an object']);
  });

  it('lists every problem at once, not only the first', () => {
    const errors = errorsOf({
      ...minimal,
      api: { port: 70000, host: 'not a host' },
      devices: { inverter: { transport: { type: 'usb' } } },
    });
    expect(errors.some((e) => e.startsWith('api.port: got 70000'))).toBe(true);
    expect(errors.some((e) => e.startsWith('api.host: got "not a host"'))).toBe(true);
    expect(errors.some((e) => e.startsWith('devices.inverter.transport.type: got "usb", expected a transport with type serial'))).toBe(true);
  });

  it('requires the safe cell window to be a window', () => {
    expect(errorsOf({ ...minimal, battery: { ...minimal.battery, cellMinV: 3.7, cellMaxV: 3.6 } })).toEqual([
      'battery.cellMaxV: got 3.6, expected a voltage above cellMinV',
    ]);
  });

  it('checks that the relay and its watchdog name configured peers', () => {
    expect(errorsOf({ ...minimal, relay: { type: 'peer', peer: 'gridbox' } })).toEqual([
      'relay.peer: got "gridbox", expected the name of a peer in peers (none configured)',
    ]);
    expect(
      errorsOf({ ...minimal, peers: [{ name: 'gridbox', url: 'http://gridbox:48211' }], relay: { type: 'peer', peer: 'gridbox' } }),
    ).toEqual(['peers[0].token: missing, expected an operator token of gridbox, which owns the relay']);
  });

  it('never prints a token or a password from the file', () => {
    const errors = errorsOf({
      ...minimal,
      peers: [{ name: 'gridbox', url: 'http://g', token: 5 }],
      mariadb: { url: 'postgres://u:hunter2@db/x' },
    });
    expect(errors.join('\n')).not.toContain('hunter2');
    expect(errors).toContain('peers[0].token: got (hidden), expected an API token');
  });
});

describe('config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'voltmon-config-'));
  const yaml = (extra: string): string =>
    `site: { name: logger, timeZone: Europe/Berlin }\nbattery: { chemistry: lifepo4, cellsInSeries: 16, capacityAh: 280, cellMinV: 2.8, cellMaxV: 3.65 }\n${extra}`;

  it('reports YAML syntax errors with their line', () => {
    const r = parseConfigText('site:\n  name: [unclosed\n', noSecrets);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error[0]).toMatch(/line \d+/);
  });

  it('takes secrets from the environment', () => {
    const r = parseConfigText(yaml('mariadb: { url: "mysql://voltmon:${VOLTMON_DB_PASSWORD}@db/axpert" }\n'), {
      env: { VOLTMON_DB_PASSWORD: 's3cret' },
    });
    expect(r.ok && r.value.mariadb?.url).toBe('mysql://voltmon:s3cret@db/axpert');
  });

  it('names the key and the variable when the variable is not set', () => {
    const r = parseConfigText(yaml('mariadb: { url: "mysql://voltmon:${VOLTMON_DB_PASSWORD}@db/axpert" }\n'), noSecrets);
    expect(r.ok ? [] : r.error).toEqual(['mariadb.url: environment variable VOLTMON_DB_PASSWORD is not set, expected it to hold the value']);
  });

  it('reads a *_file secret only from a file its owner alone can read', () => {
    const secret = join(dir, 'token');
    writeFileSync(secret, 'tok-from-file\n');
    chmodSync(secret, 0o600);
    const text = yaml(`peers: [{ name: gridbox, url: "http://gridbox:48211", token_file: ${secret} }]\n`);
    const good = parseConfigText(text, noSecrets);
    expect(good.ok && good.value.peers[0]?.token).toBe('tok-from-file');

    chmodSync(secret, 0o644);
    const bad = parseConfigText(text, noSecrets);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error[0]).toBe(`peers[0].token_file: ${secret} has mode 0644, expected a file only its owner can read (chmod 600 ${secret})`);
  });

  it('refuses a key given both directly and as a file', () => {
    const r = parseConfigText(yaml('peers: [{ name: g, url: "http://g", token: a, token_file: /etc/x }]\n'), noSecrets);
    expect(r.ok ? [] : r.error).toEqual(['peers[0].token_file: both token and token_file are set, expected only one of them']);
  });

  it('says which file cannot be read', () => {
    const r = loadConfigFile(join(dir, 'absent.yaml'), noSecrets);
    expect(r.ok ? [] : r.error).toEqual([`${join(dir, 'absent.yaml')}: cannot read the file (ENOENT)`]);
  });

  it("judges controller thresholds by the controller's ranges and order, naming defaults as such", () => {
    const r = parseConfigText(yaml('controller: { thresholds: { gridRelayOnV: 70, bogus: 1 } }\n'), noSecrets);
    expect(r.ok ? [] : r.error).toEqual([
      'controller.thresholds.gridRelayOnV: got 70, expected at most 56',
      expect.stringMatching(/^controller\.thresholds: unknown key 'bogus', expected one of switchToUsbV, gridRelayOnV, /),
      'controller.thresholds.gridRelayOffV: got 51.8 (the default), but gridRelayOffV must be above gridRelayOnV (70)',
    ]);
  });

  it.each(['logger', 'gridbox'])('accepts the shipped example %s.yaml', (name) => {
    const r = loadConfigFile(join('assets/config', `${name}.yaml`), {
      env: { VOLTMON_DB_PASSWORD: 'pw', VOLTMON_GRIDBOX_TOKEN: 'tok' },
    });
    expect(r.ok ? [] : r.error).toEqual([]);
  });
});
