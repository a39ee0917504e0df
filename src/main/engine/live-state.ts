/** The latest value of every series and the link state of every device, for GET /live and health. */
import type { LiveResponse } from '../../shared/api.js';
import { putLatest, seriesName, type DeviceKind, type FieldValue, type LatestValue, type LinkState, type Sample } from '../../shared/samples.js';

export class LiveState {
  private readonly series = new Map<string, LatestValue>();
  private readonly links = new Map<DeviceKind, LinkState>();
  private readonly lastSample = new Map<DeviceKind, number>();

  /** Values remembered from the store, so a restart shows the last known state with its age. */
  seed(latest: Record<string, LatestValue>): void {
    for (const [name, entry] of Object.entries(latest)) {
      if (!this.series.has(name)) this.series.set(name, { value: entry.value, tsMs: entry.tsMs });
    }
  }

  /** Entries are updated in place (this runs for every value of every sample); `snapshot` hands out copies. */
  update(sample: Sample): void {
    const { values, tsMs } = sample;
    for (const field in values) putLatest(this.series, seriesName(sample.device, field), values[field] as FieldValue, tsMs);
    this.lastSample.set(sample.device, tsMs);
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
    const series: LiveResponse['series'] = {};
    for (const [name, entry] of this.series) {
      values[name] = entry.value;
      series[name] = { value: entry.value, tsMs: entry.tsMs };
    }
    return {
      tsMs: nowMs,
      values,
      series,
      links: Object.fromEntries(this.links) as LiveResponse['links'],
    };
  }
}
