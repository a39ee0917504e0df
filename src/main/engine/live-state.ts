/** The latest value of every series and the link state of every device, for GET /live and health. */
import type { LiveResponse } from '../../shared/api.js';
import type { DeviceKind, FieldValue, LinkState, Sample } from '../../shared/samples.js';
import { seriesName } from '../../shared/samples.js';

export class LiveState {
  private readonly series = new Map<string, { value: FieldValue; tsMs: number }>();
  private readonly links = new Map<DeviceKind, LinkState>();
  private readonly lastSample = new Map<DeviceKind, number>();

  /** Values remembered from the store, so a restart shows the last known state with its age. */
  seed(latest: Record<string, { value: FieldValue; tsMs: number }>): void {
    for (const [name, entry] of Object.entries(latest)) {
      if (!this.series.has(name)) this.series.set(name, { value: entry.value, tsMs: entry.tsMs });
    }
  }

  update(sample: Sample): void {
    for (const [field, value] of Object.entries(sample.values)) {
      this.series.set(seriesName(sample.device, field), { value, tsMs: sample.tsMs });
    }
    this.lastSample.set(sample.device, sample.tsMs);
  }

  setLink(device: DeviceKind, state: LinkState): void {
    this.links.set(device, state);
  }

  value(name: string): FieldValue | undefined {
    return this.series.get(name)?.value;
  }

  lastSampleTsMs(device: DeviceKind): number | null {
    return this.lastSample.get(device) ?? null;
  }

  snapshot(nowMs: number): LiveResponse {
    const values: Record<string, FieldValue> = {};
    for (const [name, entry] of this.series) values[name] = entry.value;
    return {
      tsMs: nowMs,
      values,
      series: Object.fromEntries(this.series),
      links: Object.fromEntries(this.links) as LiveResponse['links'],
    };
  }
}
