/**
 * The original installation's BMS table (var1..var49, protocols.md §5) derived from decoded replies,
 * so the legacy MariaDB views keep serving old dashboards.
 */

/** The original's SOC compensation: 0 % reads as ≈6.3 %, 100 % stays 100 %. */
export const DALY_LEGACY_SOC_K1 = -0.063157894;
const K2 = -DALY_LEGACY_SOC_K1 * 100;
/** The original pack: 280 Ah. */
export const DALY_LEGACY_PACK_CAPACITY_AH = 280;

export type LegacyColumns = Record<string, number | string>;

/** var4. */
export function legacySocPct(socPct: number): number {
  return socPct * (1 + DALY_LEGACY_SOC_K1) + K2;
}

/** var17: remaining capacity with the same compensation applied to its percentage of the pack. */
export function legacyRemainingCapacityAh(remainingAh: number, packCapacityAh = DALY_LEGACY_PACK_CAPACITY_AH): number {
  return (legacySocPct((100 * remainingAh) / packCapacityAh) * packCapacityAh) / 100;
}

/** var22, var42-var48: one byte as 8 characters, bit 7 first. */
export function legacyBits8(byte: number): string {
  return (byte & 0xff).toString(2).padStart(8, '0');
}

/** var41: bytes as one binary number, most significant (byte 0, bit 7) first. */
export function legacyBitsFromHex(hexText: string): string {
  return (hexText.match(/../g) ?? []).map((pair) => legacyBits8(Number.parseInt(pair, 16))).join('');
}

const num = (fields: Record<string, unknown>, key: string): number | undefined => {
  const v = fields[key];
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
};

function pick(fields: Record<string, unknown>, columns: Record<string, string>): LegacyColumns {
  const out: LegacyColumns = {};
  for (const [column, key] of Object.entries(columns)) {
    const v = num(fields, key);
    if (v !== undefined) out[column] = v;
  }
  return out;
}

/**
 * The legacy columns one decoded reply fills (an empty object for ids without columns).
 * `fields` is the value of a successful `decodeDalyResponse`.
 */
export function dalyLegacyColumns(
  dataId: number,
  fields: Record<string, unknown>,
  options: { packCapacityAh?: number } = {},
): LegacyColumns {
  switch (dataId) {
    case 0x90: {
      const out = pick(fields, { var1: 'totalVoltageV', var2: 'acquisitionVoltageV', var3: 'currentA' });
      const soc = num(fields, 'socPct');
      if (soc !== undefined) out.var4 = legacySocPct(soc);
      return out;
    }
    case 0x91:
      return pick(fields, { var5: 'maxCellVoltageV', var6: 'maxCellNumber', var7: 'minCellVoltageV', var8: 'minCellNumber' });
    case 0x92:
      return pick(fields, {
        var9: 'maxTemperatureC',
        var10: 'maxTemperatureSensor',
        var11: 'minTemperatureC',
        var12: 'minTemperatureSensor',
      });
    case 0x93: {
      const out = pick(fields, { var13: 'state', var14: 'chargeMosOn', var15: 'dischargeMosOn', var16: 'bmsLifeCycles' });
      const ah = num(fields, 'remainingCapacityAh');
      if (ah !== undefined) out.var17 = legacyRemainingCapacityAh(ah, options.packCapacityAh);
      return out;
    }
    case 0x94: {
      const out = pick(fields, {
        var18: 'cellCount',
        var19: 'temperatureSensorCount',
        var20: 'chargerConnected',
        var21: 'loadConnected',
        var23: 'cycleCount',
      });
      const dio = num(fields, 'dioBits');
      if (dio !== undefined) out.var22 = legacyBits8(dio);
      return out;
    }
    case 0x95: {
      const cells = fields.cellVoltagesV;
      const out: LegacyColumns = {};
      if (!Array.isArray(cells)) return out;
      cells.slice(0, 16).forEach((v: unknown, i) => {
        if (typeof v === 'number') out[`var${24 + i}`] = v;
      });
      return out;
    }
    case 0x96: {
      const temps = fields.temperaturesC;
      const first: unknown = Array.isArray(temps) ? temps[0] : undefined;
      return typeof first === 'number' ? { var40: first } : {};
    }
    case 0x97:
      return typeof fields.balanceBitsHex === 'string' ? { var41: legacyBitsFromHex(fields.balanceBitsHex) } : {};
    case 0x98: {
      const out: LegacyColumns = {};
      if (typeof fields.alarmBytesHex === 'string') {
        const bytes = legacyBitsFromHex(fields.alarmBytesHex).match(/.{8}/g) ?? [];
        bytes.forEach((bits, i) => {
          out[`var${42 + i}`] = bits;
        });
      }
      const fault = num(fields, 'faultCode');
      if (fault !== undefined) out.var49 = fault;
      return out;
    }
    default:
      return {};
  }
}
