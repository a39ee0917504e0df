import { describe, expect, it } from 'vitest';
import { classifyOsError } from './errors.js';

describe('classifyOsError', () => {
  it('turns OS errors into typed errors that name the port and say what to do', () => {
    const missing = Object.assign(new Error("Error: No such file or directory, cannot open /dev/axpert"), { code: 'ENOENT' });
    expect(classifyOsError('serial:/dev/axpert@2400', missing)).toMatchObject({ code: 'missing', message: expect.stringMatching(/^serial:\/dev\/axpert@2400: no such device/) });
    expect(classifyOsError('serial:/dev/bms@9600', new Error('Error Resource temporarily unavailable Cannot lock port'))).toMatchObject({
      code: 'busy',
      message: expect.stringContaining('another program has it open'),
    });
    expect(classifyOsError('x', Object.assign(new Error('denied'), { code: 'EACCES' }))).toMatchObject({ code: 'permission', message: expect.stringContaining('dialout') });
    expect(classifyOsError('x', new Error('weird'))).toMatchObject({ code: 'io', message: 'x: weird' });
  });
});
