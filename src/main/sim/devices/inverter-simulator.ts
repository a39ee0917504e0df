/**
 * A Voltronic/Axpert inverter on its RS-232 port (PI30, 2400 baud): reassembles `<command><CRC><CR>`
 * requests, answers queries from the plant with the firmware's field widths and applies setting
 * commands to the plant (ACK/NAK). CRCs go out with the reserved-byte increment, as the firmware sends
 * them; a request with a bad CRC, or with a reserved CRC byte sent unincremented, is answered NAK.
 */
import { encodeNak, encodeResponse, parseRequestFrame, type Pi30Terminator } from '../../protocol/pi30/index.js';
import type { Plant } from '../plant/index.js';
import { DeviceSimulator, type RequestAssembler, type SimulatorOptions } from './device-simulator.js';
import { formatCurrentOptions, formatQ1, formatQdi, formatQflag, formatQpigs, formatQpiri } from './pi30-format.js';

export interface InverterSimulatorOptions extends SimulatorOptions {
  /** Reply terminator: CR (default) or LF, as some units send. */
  terminator?: Pi30Terminator;
  serialNumber?: string;
  firmwareVersion?: string;
  sccFirmwareVersion?: string;
}

const CR = 0x0d;
/** Longer than any command the firmware knows; a runaway line is dropped. */
const MAX_REQUEST_BYTES = 64;

/** Requests end at CR. (LF is not a request terminator, which is why an unincremented 0x0A CRC byte fails.) */
class Pi30RequestAssembler implements RequestAssembler {
  private bytes: number[] = [];

  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    for (const byte of chunk) {
      this.bytes.push(byte);
      if (byte === CR) {
        frames.push(Uint8Array.from(this.bytes));
        this.bytes = [];
      } else if (this.bytes.length > MAX_REQUEST_BYTES) {
        this.bytes = [];
      }
    }
    return frames;
  }
}

export class InverterSimulator extends DeviceSimulator {
  readonly terminator: Pi30Terminator;
  private readonly identity: { serialNumber: string; firmwareVersion: string; sccFirmwareVersion: string };
  private readonly queries: Record<string, () => string>;

  constructor(
    readonly plant: Plant,
    options: InverterSimulatorOptions = {},
  ) {
    super({ baud: 2400, latencyMs: 120 }, options);
    this.terminator = options.terminator ?? 'CR';
    this.identity = {
      serialNumber: options.serialNumber ?? `9293${String(plant.seed % 10_000_000_000).padStart(10, '0')}`,
      firmwareVersion: options.firmwareVersion ?? '00074.40',
      sccFirmwareVersion: options.sccFirmwareVersion ?? '00041.17',
    };
    const inverter = plant.inverter;
    this.queries = {
      QPI: () => 'PI30',
      QID: () => this.identity.serialNumber,
      QVFW: () => `VERFW:${this.identity.firmwareVersion}`,
      QVFW2: () => `VERFW2:${this.identity.sccFirmwareVersion}`,
      QPIGS: () => formatQpigs(inverter.qpigs()),
      QPIRI: () => formatQpiri(inverter.qpiri()),
      QMOD: () => inverter.qmod(),
      QPIWS: () => inverter.qpiws(),
      Q1: () => formatQ1(inverter.q1()),
      QFLAG: () => formatQflag(inverter.qflag()),
      QDI: () => formatQdi(inverter.qdi()),
      QMCHGCR: () => formatCurrentOptions(inverter.chargingCurrentOptionsA()),
      QMUCHGCR: () => formatCurrentOptions(inverter.acChargingCurrentOptionsA()),
    };
  }

  protected createAssembler(): RequestAssembler {
    return new Pi30RequestAssembler();
  }

  protected respond(request: Uint8Array): Uint8Array[] {
    const parsed = parseRequestFrame(request);
    if (!parsed.ok || parsed.value.reservedByteUnbumped) return [this.nak()];
    const text = parsed.value.commandText;
    const query = this.queries[text];
    if (query) return [encodeResponse(query(), { terminator: this.terminator })];
    if (text.startsWith('Q')) return [this.nak()];
    const outcome = this.plant.inverter.applySetting(text);
    return [encodeResponse(outcome === 'ack' ? 'ACK' : 'NAK', { terminator: this.terminator })];
  }

  protected refusal(): Uint8Array[] {
    return [this.nak()];
  }

  protected breakChecksum(reply: Uint8Array[]): Uint8Array[] {
    return reply.map((frame) => {
      const broken = frame.slice();
      const i = broken.length - 2;
      // Change the low CRC byte without producing a delimiter, which would change the framing instead.
      let byte = (broken[i] ?? 0) ^ 0x01;
      if (byte === 0x28 || byte === 0x0d || byte === 0x0a) byte ^= 0x02;
      broken[i] = byte;
      return broken;
    });
  }

  private nak(): Uint8Array {
    return this.terminator === 'CR' ? encodeNak() : encodeResponse('NAK', { terminator: 'LF' });
  }
}
