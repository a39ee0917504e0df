/**
 * Inverter warnings/faults (QPIWS) and BMS alarms (Daly 0x98) as events: one when a flag appears, one
 * when flags clear, never one per sample. The drivers report these lists on every poll; the Events page
 * needs their history, so only the changes between successive reports are worth recording.
 */
import type { EngineEvent } from '../../shared/events.js';
import type { DeviceKind, Sample } from '../../shared/samples.js';

export type AlarmLevel = 'fault' | 'warning';

/** The flags one report raises, by level. */
export interface AlarmReport {
  faults: readonly string[];
  warnings: readonly string[];
}

type AlarmDevice = Extract<DeviceKind, 'inverter' | 'bms'>;

const DEVICE_LABEL: Record<AlarmDevice, string> = { inverter: 'Inverter', bms: 'BMS' };

/** What the less obvious inverter flags mean to a person (protocols.md §1.5). */
const INVERTER_FLAG_MEANING: Record<string, string> = {
  inverterFault: 'inverter fault',
  busOver: 'DC bus voltage too high',
  busUnder: 'DC bus voltage too low',
  busSoftFail: 'DC bus soft start failed',
  lineFail: 'grid lost',
  opvShort: 'output short circuit',
  inverterVoltageTooLow: 'output voltage too low',
  inverterVoltageTooHigh: 'output voltage too high',
  overTemperature: 'over temperature',
  fanLocked: 'fan locked',
  batteryVoltageHigh: 'battery voltage too high',
  batteryLowAlarm: 'battery low',
  batteryUnderShutdown: 'battery under-voltage shutdown',
  batteryDerating: 'output derated for the battery',
  overLoad: 'overload',
  eepromFault: 'EEPROM fault',
  inverterOverCurrent: 'output over current',
  inverterSoftFail: 'inverter soft start failed',
  selfTestFail: 'self test failed',
  opDcVoltageOver: 'DC component on the output',
  batteryOpen: 'battery disconnected',
  currentSensorFail: 'current sensor failed',
  batteryShort: 'battery short circuit',
  powerLimit: 'power limited',
  pvVoltageHigh: 'PV voltage too high',
  mpptOverloadFault: 'MPPT overload',
  mpptOverloadWarning: 'MPPT overload',
  batteryTooLowToCharge: 'battery too low to charge',
};

/** The flags a sample reports, or null when the sample is not an alarm report (other commands, other devices). */
export function alarmReportOf(sample: Sample): AlarmReport | null {
  if (sample.device === 'inverter' && sample.source === 'QPIWS') {
    // The decoder's lists arrive flattened as `faults[0]`, `warnings[0]`, …; an empty list leaves no key.
    return { faults: listField(sample, 'faults'), warnings: listField(sample, 'warnings') };
  }
  if (sample.device === 'bms' && sample.source === '0x98') {
    const text = sample.values['activeAlarms'];
    if (typeof text !== 'string') return null;
    const alarms = text.split(',').filter((name) => name.length > 0);
    return { faults: alarms.filter((name) => dalyAlarmLevel(name) === 'fault'), warnings: alarms.filter((name) => dalyAlarmLevel(name) === 'warning') };
  }
  return null;
}

/** Daly level 1 alarms warn; level 2 (protection) and the hardware/MOSFET failures are faults. */
export function dalyAlarmLevel(name: string): AlarmLevel {
  return name.endsWith('L1') ? 'warning' : 'fault';
}

function listField(sample: Sample, field: string): string[] {
  const items: { index: number; name: string }[] = [];
  const prefix = `${field}[`;
  for (const [key, value] of Object.entries(sample.values)) {
    if (!key.startsWith(prefix) || !key.endsWith(']') || typeof value !== 'string') continue;
    items.push({ index: Number(key.slice(prefix.length, -1)), name: value });
  }
  return items.sort((a, b) => a.index - b.index).map((item) => item.name);
}

const describe = (device: AlarmDevice, flag: string): string => {
  const meaning = device === 'inverter' ? INVERTER_FLAG_MEANING[flag] : undefined;
  return meaning ? `${flag} (${meaning})` : flag;
};

/**
 * The events between two successive reports of one device: per level, one event naming the flags that
 * appeared and one naming the flags that cleared. Equal reports give none.
 */
export function alarmChangeEvents(device: AlarmDevice, previous: AlarmReport, current: AlarmReport, tsMs: number, source: string): EngineEvent[] {
  const events: EngineEvent[] = [];
  const label = DEVICE_LABEL[device];
  for (const level of ['fault', 'warning'] as const) {
    const before = new Set(level === 'fault' ? previous.faults : previous.warnings);
    const now = level === 'fault' ? current.faults : current.warnings;
    const nowSet = new Set(now);
    const appeared = now.filter((flag) => !before.has(flag));
    const cleared = [...before].filter((flag) => !nowSet.has(flag));
    const plural = appeared.length > 1 ? 's' : '';
    if (appeared.length > 0) {
      events.push({
        tsMs,
        kind: level,
        device,
        message: `${label} ${level}${plural}: ${appeared.map((flag) => describe(device, flag)).join(', ')}`,
        data: { source, appeared, active: [...now] },
      });
    }
    if (cleared.length > 0) {
      events.push({
        tsMs,
        kind: level,
        device,
        message: `${label} ${level} cleared: ${cleared.map((flag) => describe(device, flag)).join(', ')}`,
        data: { source, cleared, active: [...now] },
      });
    }
  }
  return events;
}

const NONE: AlarmReport = { faults: [], warnings: [] };

/** Remembers the last report of each device; before the first one, nothing is active. */
export class AlarmTracker {
  private readonly last = new Map<AlarmDevice, AlarmReport>();

  /** The events this sample causes (none for samples that are not alarm reports). */
  observe(sample: Sample): EngineEvent[] {
    const report = alarmReportOf(sample);
    if (!report) return [];
    const device = sample.device as AlarmDevice;
    const events = alarmChangeEvents(device, this.last.get(device) ?? NONE, report, sample.tsMs, sample.source);
    this.last.set(device, report);
    return events;
  }
}
