/**
 * Which serial port is "the inverter": a fixed path (best a udev name such as /dev/axpert or a
 * /dev/serial/by-id/… or /dev/serial/by-path/… link, which survive re-enumeration), or the USB serial
 * number of the adapter, looked up in the port list at every open so a replug onto another ttyUSBn is found.
 */
import { TransportError } from './errors.js';

export type SerialDeviceMatch =
  | { path: string }
  | { usbSerialNumber: string; vendorId?: string; productId?: string };

export interface PortInfoLike {
  path: string;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export function describeMatch(match: SerialDeviceMatch): string {
  if ('path' in match) return match.path;
  const ids = [match.vendorId, match.productId].filter(Boolean).join(':');
  return `usb-serial=${match.usbSerialNumber}${ids ? ` (${ids})` : ''}`;
}

const sameHex = (a: string | undefined, b: string | undefined): boolean => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/** Pick the port for a match from a port list; a typed error names what was looked for and what exists. */
export function selectPort(match: SerialDeviceMatch, ports: readonly PortInfoLike[]): string | TransportError {
  if ('path' in match) return match.path;
  const found = ports.filter(
    (p) =>
      p.serialNumber === match.usbSerialNumber &&
      (match.vendorId === undefined || sameHex(p.vendorId, match.vendorId)) &&
      (match.productId === undefined || sameHex(p.productId, match.productId)),
  );
  if (found.length === 1 && found[0]) return found[0].path;
  if (found.length > 1) {
    return new TransportError(
      'ambiguous',
      `${describeMatch(match)}: ${found.length} ports match (${found.map((p) => p.path).join(', ')}); add vendorId/productId`,
    );
  }
  const known = ports.map((p) => (p.serialNumber ? `${p.path} (${p.serialNumber})` : p.path)).join(', ') || 'none';
  return new TransportError('missing', `${describeMatch(match)}: no such USB serial adapter plugged in (ports: ${known})`);
}
