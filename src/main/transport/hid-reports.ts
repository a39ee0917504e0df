/**
 * The inverter's USB-HID port carries the PI30 byte stream in fixed 8-byte reports: a request is cut into
 * reports padded with 0x00, a reply arrives as reports whose last one is padded after the terminator.
 */
export const HID_REPORT_SIZE = 8;

const CR = 0x0d;
const LF = 0x0a;

/** Cut a request into reports of `size` bytes, the last one padded with 0x00. */
export function toHidReports(data: Uint8Array, size = HID_REPORT_SIZE): Buffer[] {
  const reports: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += size) {
    const report = Buffer.alloc(size);
    report.set(data.subarray(offset, offset + size));
    reports.push(report);
  }
  return reports;
}

/**
 * The bytes of one received report that belong to the stream: everything up to and including the first
 * CR or LF (the rest is padding). A report without a terminator is all data: 0x00 can be a CRC byte.
 */
export function hidReportPayload(report: Buffer): Buffer {
  for (let i = 0; i < report.length; i++) {
    const byte = report[i];
    if (byte === CR || byte === LF) return report.subarray(0, i + 1);
  }
  return report;
}
