/**
 * BCM line number -> sysfs GPIO number. Up to Linux 6.5 the Raspberry Pi's SoC chip had base 0 and the
 * numbers matched; since 6.6 sysfs numbers are allocated from 512, so BCM 26 is 538 (and the Pi 5's RP1
 * chip sits elsewhere again). The base is read from /sys/class/gpio/gpiochip*, the chip chosen by label.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SysfsOptions {
  /** Default /sys/class/gpio; tests point it at a directory tree of their own. */
  root?: string;
}

export interface SysfsLine {
  sysfsNumber: number;
  chipLabel: string;
  chipBase: number;
}

/** Labels of the controller that drives the 40-pin header: Pi 5 (RP1) first, then Pi 4, then Pi 1-3. */
const HEADER_CHIP_LABELS = ['pinctrl-rp1', 'pinctrl-bcm2711', 'pinctrl-bcm2835'];

interface Chip {
  name: string;
  label: string;
  base: number;
  ngpio: number;
}

const readText = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
};

export function listChips(root: string): Chip[] {
  const chips: Chip[] = [];
  for (const name of readdirSync(root)) {
    if (!name.startsWith('gpiochip')) continue;
    const base = Number(readText(join(root, name, 'base')));
    const ngpio = Number(readText(join(root, name, 'ngpio')));
    const label = readText(join(root, name, 'label')) ?? '';
    if (Number.isInteger(base) && Number.isInteger(ngpio)) chips.push({ name, label, base, ngpio });
  }
  return chips.sort((a, b) => a.base - b.base);
}

export function resolveSysfsLine(bcmLine: number, options: SysfsOptions = {}): { ok: true; value: SysfsLine } | { ok: false; error: string } {
  const root = options.root ?? '/sys/class/gpio';
  if (!Number.isInteger(bcmLine) || bcmLine < 0 || bcmLine > 53) return { ok: false, error: `GPIO ${bcmLine} is not a BCM line number (0-53)` };
  if (!existsSync(root)) {
    return {
      ok: false,
      error: `sysfs GPIO is missing (${root} does not exist): this kernel was built without CONFIG_GPIO_SYSFS or this is not a Raspberry Pi`,
    };
  }
  let chips: Chip[];
  try {
    chips = listChips(root);
  } catch (err) {
    return { ok: false, error: `cannot read ${root}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const soc = HEADER_CHIP_LABELS.map((label) => chips.find((c) => c.label === label)).find((c) => c !== undefined);
  if (!soc) {
    const seen = chips.map((c) => `${c.name} '${c.label}' base ${c.base}`).join(', ') || 'none';
    return { ok: false, error: `no Raspberry Pi GPIO controller among the sysfs GPIO chips (found: ${seen})` };
  }
  if (bcmLine >= soc.ngpio) return { ok: false, error: `GPIO ${bcmLine} is beyond ${soc.label}'s ${soc.ngpio} lines` };
  return { ok: true, value: { sysfsNumber: soc.base + bcmLine, chipLabel: soc.label, chipBase: soc.base } };
}
