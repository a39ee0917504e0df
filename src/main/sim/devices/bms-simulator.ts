/**
 * A Daly smart BMS on its UART (9600 baud, "A5" frames): answers 0x90-0x98 from the plant (0x95 and
 * 0x96 as several frames), switches its MOSFETs on 0xD9/0xDA and sets its SOC on 0x21. Like the real
 * BMS it reuses its reply buffer, so reserved bytes hold stale bytes of the previous reply; it ignores
 * frames with a bad checksum, host addresses it does not serve and data ids it does not know; and when
 * asleep it does not answer at all, losing the first request after it wakes.
 */
import {
  DALY_ALARM_BITS,
  DALY_BMS_ADDRESS,
  DALY_DATA_ID,
  DalyFrameAssembler,
  encodeDalyFrame,
  parseDalyRequest,
} from '../../protocol/daly/index.js';
import type { BmsReadings, Plant } from '../plant/index.js';
import { DeviceSimulator, type RequestAssembler, type SimulatorOptions } from './device-simulator.js';

export interface BmsSimulatorOptions extends SimulatorOptions {
  /** Host addresses the BMS answers (default 0x40 and 0x80, see protocols.md §2.1). */
  hostAddresses?: readonly number[];
  /** 0x95: send only the frames the cells need ('needed', 6 for 16S) or always 16 frames ('all'). */
  cellVoltageFrames?: 'needed' | 'all';
  /** 0x96: frames sent (1-3, default 1: seven sensors per frame). */
  temperatureFrames?: number;
  /** Current sign as this firmware sends it; 'inverted' models the firmware that reports it reversed. */
  currentSign?: 'normal' | 'inverted';
}

const CELLS_PER_FRAME = 3;
const SENSORS_PER_FRAME = 7;

export class BmsSimulator extends DeviceSimulator {
  private readonly hostAddresses: ReadonlySet<number>;
  private readonly cellVoltageFrames: 'needed' | 'all';
  private readonly temperatureFrames: number;
  private readonly currentSign: number;
  /** The reply buffer the firmware reuses: reserved bytes keep what the previous reply left. */
  private readonly buffer = new Uint8Array(8);
  private asleepUntilMs = 0;
  private loseNextRequest = false;
  private readonly clock: () => number;

  constructor(
    readonly plant: Plant,
    options: BmsSimulatorOptions = {},
  ) {
    super({ baud: 9600, latencyMs: 40 }, options);
    this.clock = options.now ?? Date.now;
    this.hostAddresses = new Set(options.hostAddresses ?? [0x40, 0x80]);
    this.cellVoltageFrames = options.cellVoltageFrames ?? 'needed';
    this.temperatureFrames = Math.min(3, Math.max(1, options.temperatureFrames ?? 1));
    this.currentSign = options.currentSign === 'inverted' ? -1 : 1;
  }

  /** Fall asleep for ms: no answer at all, and the first request after waking is lost. */
  sleep(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError('sleep needs a non-negative duration');
    this.asleepUntilMs = this.clock() + ms;
    this.loseNextRequest = true;
  }

  get asleep(): boolean {
    return this.clock() < this.asleepUntilMs;
  }

  protected createAssembler(): RequestAssembler {
    return new DalyFrameAssembler();
  }

  protected override accepts(): boolean {
    if (this.asleep) return false;
    if (this.loseNextRequest) {
      this.loseNextRequest = false;
      return false;
    }
    return true;
  }

  protected respond(request: Uint8Array): Uint8Array[] | null {
    const parsed = parseDalyRequest(request);
    if (!parsed.ok || !this.hostAddresses.has(parsed.value.address)) return null;
    const { dataId, data } = parsed.value;
    const bms = this.plant.bms;
    switch (dataId) {
      case DALY_DATA_ID.setChargeMos:
      case DALY_DATA_ID.setDischargeMos: {
        const on = data[0] === 0x01;
        if (dataId === DALY_DATA_ID.setChargeMos) bms.setChargeMos(on);
        else bms.setDischargeMos(on);
        return [this.frame(dataId, (b) => (b[0] = on ? 1 : 0))];
      }
      case DALY_DATA_ID.setSoc: {
        const accepted = bms.setSocPct((((data[6] ?? 0) << 8) | (data[7] ?? 0)) / 10);
        return [this.frame(dataId, (b) => (b[0] = accepted ? 1 : 0))];
      }
      default:
        break;
    }
    if (dataId < DALY_DATA_ID.packStatus || dataId > DALY_DATA_ID.failureStatus) return null;
    return this.readReply(dataId, bms.readings());
  }

  protected refusal(request: Uint8Array): Uint8Array[] {
    // What a confused Daly sends: the right id with all data zero (decoders call that implausible).
    return [encodeDalyFrame(DALY_BMS_ADDRESS, request[2] ?? 0, new Uint8Array(8))];
  }

  protected breakChecksum(reply: Uint8Array[]): Uint8Array[] {
    return reply.map((frame, i) => {
      if (i > 0) return frame;
      const broken = frame.slice();
      broken[12] = ((broken[12] ?? 0) + 1) & 0xff;
      return broken;
    });
  }

  private readReply(dataId: number, r: BmsReadings): Uint8Array[] {
    switch (dataId) {
      case DALY_DATA_ID.packStatus:
        return [
          this.frame(dataId, (b) => {
            u16(b, 0, r.totalVoltageV * 10);
            u16(b, 2, r.acquisitionVoltageV * 10);
            u16(b, 4, 30000 - this.currentSign * r.currentA * 10);
            u16(b, 6, r.socPct * 10);
          }),
        ];
      case DALY_DATA_ID.cellVoltageExtremes:
        return [
          this.frame(dataId, (b) => {
            u16(b, 0, r.maxCellVoltageV * 1000);
            b[2] = r.maxCellNumber;
            u16(b, 3, r.minCellVoltageV * 1000);
            b[5] = r.minCellNumber;
          }),
        ];
      case DALY_DATA_ID.temperatureExtremes:
        return [
          this.frame(dataId, (b) => {
            b[0] = temperatureByte(r.maxTemperatureC);
            b[1] = r.maxTemperatureSensor;
            b[2] = temperatureByte(r.minTemperatureC);
            b[3] = r.minTemperatureSensor;
          }),
        ];
      case DALY_DATA_ID.mosStatus:
        return [
          this.frame(dataId, (b) => {
            b[0] = r.state;
            b[1] = r.chargeMosOn ? 1 : 0;
            b[2] = r.dischargeMosOn ? 1 : 0;
            b[3] = r.bmsLifeCycles & 0xff;
            const mAh = Math.round(r.remainingCapacityAh * 1000);
            u16(b, 4, Math.floor(mAh / 65536));
            u16(b, 6, mAh % 65536);
          }),
        ];
      case DALY_DATA_ID.statusInfo:
        return [
          this.frame(dataId, (b) => {
            b[0] = r.cellCount;
            b[1] = r.temperatureSensorCount;
            b[2] = r.chargerConnected ? 1 : 0;
            b[3] = r.loadConnected ? 1 : 0;
            b[4] = r.dioBits;
            u16(b, 5, r.cycleCount);
          }),
        ];
      case DALY_DATA_ID.cellVoltages: {
        const frames = this.cellVoltageFrames === 'all' ? 16 : Math.ceil(r.cellCount / CELLS_PER_FRAME);
        return Array.from({ length: frames }, (_, n) =>
          this.frame(dataId, (b) => {
            b[0] = n + 1;
            for (let k = 0; k < CELLS_PER_FRAME; k++) u16(b, 1 + 2 * k, (r.cellVoltagesV[n * CELLS_PER_FRAME + k] ?? 0) * 1000);
          }),
        );
      }
      case DALY_DATA_ID.temperatures:
        return Array.from({ length: this.temperatureFrames }, (_, n) =>
          this.frame(dataId, (b) => {
            b[0] = n + 1;
            for (let k = 0; k < SENSORS_PER_FRAME; k++) {
              const t = r.temperaturesC[n * SENSORS_PER_FRAME + k];
              b[1 + k] = t === undefined ? 0 : temperatureByte(t);
            }
          }),
        );
      case DALY_DATA_ID.balancing:
        return [
          this.frame(dataId, (b) => {
            b.fill(0);
            for (const cell of r.balancingCells) {
              const byte = Math.floor((cell - 1) / 8);
              b[byte] = (b[byte] ?? 0) | (1 << ((cell - 1) % 8));
            }
          }),
        ];
      default:
        return [
          this.frame(dataId, (b) => {
            b.fill(0);
            for (const alarm of r.activeAlarms) {
              const byte = DALY_ALARM_BITS.findIndex((names) => names.includes(alarm));
              if (byte >= 0) b[byte] = (b[byte] ?? 0) | (1 << (DALY_ALARM_BITS[byte] ?? []).indexOf(alarm));
            }
            b[7] = r.faultCode;
          }),
        ];
    }
  }

  /** One reply frame written over the reused buffer. */
  private frame(dataId: number, fill: (buffer: Uint8Array) => void): Uint8Array {
    fill(this.buffer);
    return encodeDalyFrame(DALY_BMS_ADDRESS, dataId, this.buffer);
  }
}

function u16(buffer: Uint8Array, offset: number, value: number): void {
  const v = Math.min(0xffff, Math.max(0, Math.round(value)));
  buffer[offset] = v >> 8;
  buffer[offset + 1] = v & 0xff;
}

const temperatureByte = (celsius: number): number => Math.min(255, Math.max(0, Math.round(celsius) + 40));
