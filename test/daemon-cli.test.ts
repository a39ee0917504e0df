import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt } from './daemon-build.js';

const voltmon = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(() => ensureBuilt(), 300_000);

describe('voltmon config check', () => {
  it('prints ok for the shipped gridbox example', () => {
    expect(voltmon(['config', 'check', '--config', 'assets/config/gridbox.yaml'])).toMatchObject({ code: 0, stdout: 'ok\n' });
  });

  it('prints ok for the logger example once its secrets are in the environment', () => {
    const r = voltmon(['config', 'check', '--config', 'assets/config/logger.yaml'], { VOLTMON_DB_PASSWORD: 'pw', VOLTMON_GRIDBOX_TOKEN: 'tok' });
    expect(r).toMatchObject({ code: 0, stdout: 'ok\n' });
  });

  it('names the missing secret and exits 1', () => {
    const r = voltmon(['config', 'check', '--config', 'assets/config/logger.yaml'], { VOLTMON_GRIDBOX_TOKEN: 'tok' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('mariadb.url: environment variable VOLTMON_DB_PASSWORD is not set');
  });

  it('prints one line per problem', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'voltmon-cfg-')), 'bad.yaml');
    writeFileSync(
      file,
      'site: { name: x, timeZone: Mars/Olympus }\nbattery: { chemistry: lifepo4, cellsInSeries: 17.5, capacityAh: 280, cellMinV: 2.8, cellMaxV: 3.65 }\ncontroller: { thresholds: { gridRelayOnV: 70 } }\n',
    );
    const r = voltmon(['config', 'check', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('site.timeZone: got "Mars/Olympus", expected an IANA time zone');
    expect(r.stderr).toContain('battery.cellsInSeries: got 17.5, expected an integer from 4 to 32');
  });

  it("checks the controller's thresholds with the controller's own rules", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'voltmon-cfg-')), 'thresholds.yaml');
    writeFileSync(
      file,
      'site: { name: x, timeZone: UTC }\nbattery: { chemistry: lifepo4, cellsInSeries: 16, capacityAh: 280, cellMinV: 2.8, cellMaxV: 3.65 }\ncontroller: { thresholds: { gridRelayOnV: 70 } }\n',
    );
    const r = voltmon(['config', 'check', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/controller\.thresholds\.gridRelayOnV: got 70, /);
  });

  it('answers a bad command line with usage and exit 2', () => {
    expect(voltmon(['config', 'verify']).code).toBe(2);
    expect(voltmon(['config', 'check', '--colour']).code).toBe(2);
  });
});

describe('voltmon token', () => {
  it('prints the new token alone on stdout, lists it without the token, and revokes it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'voltmon-tok-'));
    const added = voltmon(['token', 'add', '--role', 'operator', '--name', 'kiosk', '--data-dir', dataDir]);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^vmt_[A-Za-z0-9_-]{43}\n$/);
    const token = added.stdout.trim();

    const listed = voltmon(['token', 'list', '--data-dir', dataDir]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/kiosk\s+operator\s+\d{4}-\d\d-\d\dT[\d:.]+Z\s+never/);
    expect(listed.stdout).not.toContain(token);

    expect(voltmon(['token', 'revoke', 'kiosk', '--data-dir', dataDir]).code).toBe(0);
    expect(voltmon(['token', 'list', '--data-dir', dataDir]).stdout).toBe('no tokens\n');
    expect(voltmon(['token', 'revoke', 'kiosk', '--data-dir', dataDir]).code).toBe(1);
  });

  it('uses $XDG_DATA_HOME/voltmon when no --data-dir is given', () => {
    const xdg = mkdtempSync(join(tmpdir(), 'voltmon-xdg-'));
    expect(voltmon(['token', 'add', '--role', 'viewer', '--name', 'phone'], { XDG_DATA_HOME: xdg }).code).toBe(0);
    expect(voltmon(['token', 'list', '--data-dir', join(xdg, 'voltmon')]).stdout).toContain('phone');
  });

  it('refuses an unknown role and a taken name', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'voltmon-tok-'));
    expect(voltmon(['token', 'add', '--role', 'admin', '--data-dir', dataDir]).code).toBe(2);
    expect(voltmon(['token', 'add', '--role', 'viewer', '--name', 'a', '--data-dir', dataDir]).code).toBe(0);
    const again = voltmon(['token', 'add', '--role', 'viewer', '--name', 'a', '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
  });
});

describe('voltmon run', () => {
  it('refuses to start on an invalid config, naming the problems', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'voltmon-cfg-')), 'bad.yaml');
    writeFileSync(file, 'site: { name: x }\n');
    const r = voltmon(['run', '--config', file, '--data-dir', mkdtempSync(join(tmpdir(), 'voltmon-run-'))]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('site.timeZone: missing');
  });

  it('answers a bad port with usage and exit 2', () => {
    expect(voltmon(['run', '--simulate', '--port', 'eighty']).code).toBe(2);
  });
});

describe('the installed bin', () => {
  it('runs when started through a symlink, as `npm install -g` links /usr/bin/voltmon', () => {
    const link = join(mkdtempSync(join(tmpdir(), 'voltmon-bin-')), 'voltmon');
    symlinkSync(resolve(CLI), link);
    const r = spawnSync(link, ['--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage: voltmon <command>');
  });
});

describe('batch commands from the interpreter-only bin', () => {
  it('rerun with the JIT and pass their output and exit code through', () => {
    const ok = spawnSync(resolve(CLI), ['backtest', '--simulate-days', '1'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout.trim().split('\n').at(-1) ?? '{}')).toHaveProperty('summary.days', 1);
    const bad = spawnSync(resolve(CLI), ['backtest', '--simulate-days', 'many'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('voltmon backtest');
  });
});
