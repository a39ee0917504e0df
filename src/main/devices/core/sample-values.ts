/** Turn a codec's decoded object into sample values: protocol bookkeeping dropped, enumerations as names. */
import { flattenFields, type FieldValue } from '../../../shared/samples.js';

/** Frame bookkeeping the codecs report for debugging; not measurements. */
const BOOKKEEPING = new Set(['crcRawHex', 'crcOnWireHex', 'legacy', 'address', 'dataId', 'frameCount', 'frameNumbers', 'frameNumber']);

/**
 * Flatten `decoded` into sample values. Where the codec gives a code and its name (`outputSourcePriority: 2`
 * and `outputSourcePriorityName: 'sbu'`), the field carries the name and the code moves to `<field>Code`.
 */
export function toSampleValues(decoded: Record<string, unknown>): Record<string, FieldValue> {
  const cleaned: Record<string, unknown> = {};
  for (const key in decoded) if (Object.hasOwn(decoded, key) && !BOOKKEEPING.has(key)) cleaned[key] = decoded[key];
  const keys = Object.keys(cleaned);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const base = key.endsWith('Name') ? key.slice(0, -'Name'.length) : '';
    if (base && Object.hasOwn(cleaned, base)) {
      cleaned[`${base}Code`] = cleaned[base];
      cleaned[base] = cleaned[key];
      delete cleaned[key];
    }
  }
  return flattenFields(cleaned);
}
