import { describe, expect, it } from 'vitest';
import { TransportError } from './errors.js';
import { selectPort } from './serial-identity.js';

const ports = [
  { path: '/dev/ttyUSB0', serialNumber: 'A10KX9QJ', vendorId: '0403', productId: '6001' },
  { path: '/dev/ttyUSB1', serialNumber: '0001', vendorId: '10c4', productId: 'ea60' },
  { path: '/dev/ttyUSB2', serialNumber: '0001', vendorId: '1a86', productId: '7523' },
  { path: '/dev/ttyAMA0' },
];

describe('selectPort', () => {
  it('uses a configured path (udev or by-id name) as it is', () => {
    expect(selectPort({ path: '/dev/serial/by-id/usb-FTDI_FT232R_A10KX9QJ-if00-port0' }, ports)).toBe('/dev/serial/by-id/usb-FTDI_FT232R_A10KX9QJ-if00-port0');
  });

  it('finds the adapter by its USB serial number wherever it was enumerated', () => {
    expect(selectPort({ usbSerialNumber: 'A10KX9QJ' }, ports)).toBe('/dev/ttyUSB0');
    expect(selectPort({ usbSerialNumber: '0001', vendorId: '1A86' }, ports)).toBe('/dev/ttyUSB2');
  });

  it('refuses an ambiguous serial number and names the candidates', () => {
    const result = selectPort({ usbSerialNumber: '0001' }, ports);
    expect(result).toBeInstanceOf(TransportError);
    expect(result).toMatchObject({ code: 'ambiguous', message: expect.stringContaining('/dev/ttyUSB1, /dev/ttyUSB2') });
  });

  it('says which ports exist when the adapter is not plugged in', () => {
    const result = selectPort({ usbSerialNumber: 'NOPE' }, ports);
    expect(result).toMatchObject({ code: 'missing', message: expect.stringContaining('/dev/ttyUSB0 (A10KX9QJ)') });
  });
});
