/** Byte links behind one interface, and the factory that builds one from a device's transport settings. */
export type { Transport, ByteEndpoint } from './types.js';
export { TransportError, type TransportErrorCode } from './errors.js';
export { createMemoryLink, MemoryTransport, type MemoryLink, type MemoryPeer } from './memory.js';
export { SerialTransport, type SerialTransportOptions } from './serial.js';
export { selectPort, describeMatch, type SerialDeviceMatch, type PortInfoLike } from './serial-identity.js';
export { TcpTransport, type TcpTransportOptions } from './tcp.js';
export { HidrawTransport, type HidrawTransportOptions } from './hidraw.js';
export { toHidReports, hidReportPayload, HID_REPORT_SIZE } from './hid-reports.js';
export { Listeners } from './listeners.js';
export { createTransport, type TransportSpec } from './factory.js';
