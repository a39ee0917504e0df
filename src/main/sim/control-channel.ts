/**
 * Scripting a running `voltmon simulate` from another process: one JSON object per line on its stdin,
 * e.g. `{"device":"meter","fault":{"kind":"silence","durationMs":5000}}`, `{"device":"bms","sleepMs":3000}`,
 * `{"relay":"disconnected"}`, `{"gridOutage":true}`, `{"overrides":{"loadDemandW":4500}}`,
 * `{"device":"inverter","clearFaults":true}`.
 */
import { z } from 'zod';
import type { Result } from '../../shared/result.js';
import { FAULT_KINDS } from './devices/faults.js';
import type { SimulatedInstallation } from './installation.js';

const nonNegative = z.number().finite().nonnegative();
const device = z.enum(['inverter', 'bms', 'meter']);

export const SimControlSchema = z.union([
  z
    .object({
      device,
      fault: z
        .object({ kind: z.enum(FAULT_KINDS), count: nonNegative.optional(), durationMs: nonNegative.optional(), delayMs: nonNegative.optional(), keepReply: z.boolean().optional() })
        .strict(),
    })
    .strict(),
  z.object({ device, clearFaults: z.literal(true) }).strict(),
  z.object({ device: z.literal('bms'), sleepMs: nonNegative }).strict(),
  z.object({ relay: z.enum(['connected', 'disconnected']) }).strict(),
  z.object({ gridOutage: z.boolean() }).strict(),
  z
    .object({
      overrides: z.object({ pvAvailableW: nonNegative.nullable().optional(), loadDemandW: nonNegative.nullable().optional() }).strict(),
    })
    .strict(),
]);

export type SimControl = z.infer<typeof SimControlSchema>;

export function parseSimControl(line: string): Result<SimControl, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const parsed = SimControlSchema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: 'not a simulator command (see docs/simulator.md, "Scripting a running simulator")' };
}

/** Apply one command; returns a sentence for the log. */
export function applySimControl(installation: SimulatedInstallation, command: SimControl): string {
  if ('fault' in command) {
    installation[command.device].injectFault(command.fault);
    return `${command.device}: fault ${command.fault.kind} injected`;
  }
  if ('clearFaults' in command) {
    installation[command.device].clearFaults();
    return `${command.device}: faults cleared`;
  }
  if ('sleepMs' in command) {
    installation.bms.sleep(command.sleepMs);
    return `bms: asleep for ${command.sleepMs} ms`;
  }
  if ('relay' in command) {
    installation.plant.setGridConnected(command.relay === 'connected');
    return `relay: grid ${command.relay}`;
  }
  if ('gridOutage' in command) {
    installation.plant.setGridOutage(command.gridOutage);
    return `grid: outage ${command.gridOutage ? 'started' : 'ended'}`;
  }
  installation.plant.setOverrides(command.overrides);
  return `plant: overrides ${JSON.stringify(command.overrides)}`;
}
