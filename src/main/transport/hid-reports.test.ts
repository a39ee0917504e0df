import { describe, expect, it } from 'vitest';
import { hidReportPayload, toHidReports } from './hid-reports.js';

describe('HID reports', () => {
  it('cuts a request into 8-byte reports padded with zeros', () => {
    const request = Buffer.from('5150494753b7a90d', 'hex');
    expect(toHidReports(request).map((r) => r.toString('hex'))).toEqual(['5150494753b7a90d']);
    const longer = Buffer.from('POP02\xe2\x0b\r', 'latin1');
    expect(toHidReports(Buffer.concat([longer, Buffer.from('XY')])).map((r) => r.toString('hex'))).toEqual([
      '504f503032e20b0d',
      '5859000000000000',
    ]);
  });

  it('keeps a report up to its terminator and drops the padding after it', () => {
    expect(hidReportPayload(Buffer.from('2841434b39200d00', 'hex')).toString('hex')).toBe('2841434b39200d');
    expect(hidReportPayload(Buffer.from('280a000000000000', 'hex')).toString('hex')).toBe('280a');
  });

  it('keeps zero bytes of a report without terminator: 0x00 can be a CRC byte', () => {
    expect(hidReportPayload(Buffer.from('3020303000e70d00', 'hex')).toString('hex')).toBe('3020303000e70d');
    expect(hidReportPayload(Buffer.from('3120322033203400', 'hex')).toString('hex')).toBe('3120322033203400');
  });
});
