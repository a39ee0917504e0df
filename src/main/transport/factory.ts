/** Build a Transport from the transport block of a device's configuration. */
import { HidrawTransport } from './hidraw.js';
import { SerialTransport } from './serial.js';
import { TcpTransport } from './tcp.js';
import type { Transport } from './types.js';

export type TransportSpec =
  | { type: 'serial'; path: string; baud: number }
  | { type: 'serial'; usbSerialNumber: string; vendorId?: string; productId?: string; baud: number }
  | { type: 'tcp'; host: string; port: number; connectTimeoutMs?: number }
  | { type: 'hidraw'; path: string };

export function createTransport(spec: TransportSpec): Transport {
  switch (spec.type) {
    case 'serial':
      return new SerialTransport({
        device:
          'path' in spec
            ? { path: spec.path }
            : { usbSerialNumber: spec.usbSerialNumber, vendorId: spec.vendorId, productId: spec.productId },
        baudRate: spec.baud,
      });
    case 'tcp':
      return new TcpTransport(spec);
    case 'hidraw':
      return new HidrawTransport({ path: spec.path });
  }
}
