/**
 * Control actions: the one typed vocabulary for every device command, from the UI, the controller,
 * the CLI and peers. The command queue (src/main/control/) validates them against hard limits.
 */
import { z } from 'zod';
import { CHARGER_SOURCE_PRIORITIES, OUTPUT_SOURCE_PRIORITIES } from './series.js';

const volts = z.number().finite();
const amps = z.number().int().nonnegative();

export const ControlActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('setOutputSourcePriority'), value: z.enum(OUTPUT_SOURCE_PRIORITIES) }).strict(),
  z.object({ action: z.literal('setChargerSourcePriority'), value: z.enum(CHARGER_SOURCE_PRIORITIES) }).strict(),
  z.object({ action: z.literal('setMaxChargingCurrent'), value: amps }).strict(),
  z.object({ action: z.literal('setMaxAcChargingCurrent'), value: amps }).strict(),
  z.object({ action: z.literal('setBulkVoltage'), value: volts }).strict(),
  z.object({ action: z.literal('setFloatVoltage'), value: volts }).strict(),
  z.object({ action: z.literal('setRechargeVoltage'), value: volts }).strict(),
  z.object({ action: z.literal('setRedischargeVoltage'), value: volts }).strict(),
  z.object({ action: z.literal('setCutoffVoltage'), value: volts }).strict(),
  z.object({ action: z.literal('setGridRelay'), value: z.enum(['connected', 'disconnected']) }).strict(),
  z.object({ action: z.literal('setController'), value: z.enum(['off', 'on', 'dryRun']) }).strict(),
]);

export type ControlAction = z.infer<typeof ControlActionSchema>;
export type ControlActionName = ControlAction['action'];

/** Who asked: a user (token name), a controller rule, the CLI or a peer instance. */
export interface ControlOrigin {
  kind: 'user' | 'rule' | 'cli' | 'peer' | 'safety';
  name: string;
}

export type ControlOutcome =
  | { status: 'applied'; before: unknown; after: unknown; message: string }
  | { status: 'refused'; reason: string }
  | { status: 'failed'; reason: string; before: unknown; after: unknown }
  | { status: 'unchanged'; reason: string }
  | { status: 'dryRun'; message: string };
