import { describe, expect, it } from 'vitest';
import { toSampleValues } from './sample-values.js';

describe('toSampleValues', () => {
  it('names enumerations, keeps the code beside them and flattens nested values', () => {
    const values = toSampleValues({
      outputSourcePriority: 2,
      outputSourcePriorityName: 'sbu',
      mode: 'B',
      modeName: 'battery',
      deviceStatus: { loadOn: true },
      cellVoltagesV: [3.301, 3.302],
      crcRawHex: 'B7A9',
      legacy: { var1: 1 },
    });
    expect(values).toEqual({
      outputSourcePriority: 'sbu',
      outputSourcePriorityCode: 2,
      mode: 'battery',
      modeCode: 'B',
      'deviceStatus.loadOn': true,
      'cellVoltagesV[0]': 3.301,
      'cellVoltagesV[1]': 3.302,
    });
  });

  it('leaves a lone *Name field alone', () => {
    expect(toSampleValues({ modelName: 'MKS2-8000' })).toEqual({ modelName: 'MKS2-8000' });
  });
});
