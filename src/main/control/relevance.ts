/**
 * Which samples can change what the rules decide: those carrying a series a rule compares, or the state
 * series its actions set (a rule with nothing left to do stays quiet). A meter reading or a BMS alarm
 * table, when no rule reads them, need not run the rules again; time-based parts of a rule (how long a
 * condition held, the hour of the day, a value going stale) are seen at the next sample that is read.
 */
import { seriesName, type Sample } from '../../shared/samples.js';
import type { Condition } from './conditions.js';
import { stateSeries, type Rule } from './rules.js';

/** Bounds the memo should a peer send fields no device has. */
const MAX_KNOWN = 4096;

export interface SampleRelevance {
  /** True when the sample has at least one series the rules read. */
  matters(sample: Sample): boolean;
}

function collect(condition: Condition, exact: Set<string>, families: Set<string>): void {
  if ('all' in condition) for (const part of condition.all) collect(part, exact, families);
  else if ('any' in condition) for (const part of condition.any) collect(part, exact, families);
  else if ('series' in condition) (condition.of ? families : exact).add(condition.series);
}

export function sampleRelevance(rules: readonly Rule[]): SampleRelevance {
  const exact = new Set<string>();
  /** Indexed families compared as a whole (`bms.cellVoltagesV` for `bms.cellVoltagesV[3]`). */
  const families = new Set<string>();
  for (const rule of rules) {
    collect(rule.when, exact, families);
    if (rule.rearmWhen) collect(rule.rearmWhen, exact, families);
    for (const template of rule.then) exact.add(stateSeries(template.action));
  }
  /** Series name -> whether a rule reads it; the names are the few the devices report. */
  const known = new Map<string, boolean>();
  const reads = (series: string): boolean => {
    let answer = known.get(series);
    if (answer === undefined) {
      const bracket = series.indexOf('[');
      answer = exact.has(series) || (bracket > 0 && families.has(series.slice(0, bracket)));
      if (known.size < MAX_KNOWN) known.set(series, answer);
    }
    return answer;
  };
  return {
    matters(sample) {
      for (const field in sample.values) if (reads(seriesName(sample.device, field))) return true;
      return false;
    },
  };
}
