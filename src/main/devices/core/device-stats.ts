/** Counts what happened on one device's link; the figures health and metrics show. */
import type { DeviceStats } from '../../../shared/samples.js';

export type StatsEvent = 'frameOk' | 'crcError' | 'timeout' | 'nak' | 'implausible' | 'reconnect';

export class StatsCounter {
  private readonly value: DeviceStats = {
    framesOk: 0,
    crcErrors: 0,
    timeouts: 0,
    naks: 0,
    implausible: 0,
    reconnects: 0,
    lastPollLatencyMs: null,
  };

  record(event: StatsEvent): void {
    switch (event) {
      case 'frameOk':
        this.value.framesOk++;
        break;
      case 'crcError':
        this.value.crcErrors++;
        break;
      case 'timeout':
        this.value.timeouts++;
        break;
      case 'nak':
        this.value.naks++;
        break;
      case 'implausible':
        this.value.implausible++;
        break;
      case 'reconnect':
        this.value.reconnects++;
        break;
    }
  }

  latency(ms: number): void {
    this.value.lastPollLatencyMs = Math.round(ms * 10) / 10;
  }

  snapshot(): DeviceStats {
    return { ...this.value };
  }
}
