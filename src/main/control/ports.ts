/** What the command queue needs from the devices; the engine wires real drivers or peers behind it. */
import type { FieldValue } from '../../shared/samples.js';

export type CommandReply = { ok: true } | { ok: false; reason: 'nak' | 'timeout' | 'offline' | 'error'; message: string };

export interface InverterCommandPort {
  /** Send one PI30 setting command text (e.g. `PBFT53.7`), framed by the driver; resolves on ACK/NAK. */
  sendSetting(commandText: string): Promise<CommandReply>;
  /** Read QPIRI now (used as read-back after a setting); null when the inverter does not answer. */
  readSettings(): Promise<Record<string, FieldValue> | null>;
  /** QMCHGCR / QMUCHGCR options in A; null when unknown. */
  readChargeCurrentOptions(kind: 'battery' | 'utility'): Promise<number[] | null>;
}

export interface RelayPort {
  /** Drive the grid relay; resolves with the state read back from the line. */
  setGridConnected(connected: boolean): Promise<boolean>;
  isGridConnected(): boolean | null;
}
