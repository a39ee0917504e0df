import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeAllToFd, WRITE_STUCK_MS, type WriteSync } from './fd-write.js';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: write failed`), { code });

/** What successive writes do: take up to n bytes, or throw an errno; an empty script takes everything. */
function scriptedWrite(script: Array<number | string>) {
  const written: Buffer[] = [];
  const calls: number[] = [];
  const writeSync: WriteSync = (_fd, buffer, offset, length) => {
    calls.push(length);
    const next = script.shift() ?? length;
    if (typeof next === 'string') throw errno(next);
    const n = Math.min(next, length);
    written.push(Buffer.from(buffer.subarray(offset, offset + n)));
    return n;
  };
  return { writeSync, written, calls };
}

const options = (writeSync: WriteSync, isCurrent = () => true) => ({ fd: 9, description: 'test:/dev/x', isCurrent, msPerByte: 10_000 / 2400, writeSync });

describe('writeAllToFd', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes each piece with one write(2) when the fd takes it, in order', async () => {
    const w = scriptedWrite([]);
    await writeAllToFd([Buffer.from('QPIGS2\x68\x2d', 'latin1'), Buffer.from('\r\0\0\0\0\0\0\0', 'latin1')], options(w.writeSync));
    expect(w.calls).toEqual([8, 8]);
    expect(Buffer.concat(w.written).toString('latin1')).toBe('QPIGS2\x68\x2d\r\0\0\0\0\0\0\0');
  });

  it('writes the rest of a piece the fd took only part of; EINTR waits and retries like EAGAIN', async () => {
    const w = scriptedWrite([3, 'EINTR']);
    const done = writeAllToFd([Buffer.from('QPIGS\r')], options(w.writeSync));
    await vi.advanceTimersByTimeAsync(20);
    await done;
    expect(w.calls).toEqual([6, 3, 3]);
    expect(Buffer.concat(w.written).toString()).toBe('QPIGS\r');
  });

  it('waits about as long as the rest takes on the line after EAGAIN, then writes it', async () => {
    const w = scriptedWrite(['EAGAIN']);
    let finished = false;
    const done = writeAllToFd([Buffer.alloc(8), Buffer.alloc(8)], options(w.writeSync)).then(() => (finished = true));
    // 16 bytes at 2400 baud: ~67 ms.
    await vi.advanceTimersByTimeAsync(60);
    expect(finished).toBe(false);
    expect(w.calls).toEqual([8]);
    await vi.advanceTimersByTimeAsync(10);
    await done;
    expect(w.calls).toEqual([8, 8, 8]);
  });

  it(`gives up when the fd takes nothing for ${WRITE_STUCK_MS} ms`, async () => {
    const w = scriptedWrite(Array<string>(10_000).fill('EAGAIN'));
    const done = writeAllToFd([Buffer.from('QPIGS\r')], options(w.writeSync));
    const outcome = expect(done).rejects.toMatchObject({ code: 'io', message: expect.stringContaining('test:/dev/x: the line takes no more bytes') });
    await vi.advanceTimersByTimeAsync(WRITE_STUCK_MS + 100);
    await outcome;
  });

  it('stops with `closed` when the link goes away while it waits', async () => {
    let current = true;
    const w = scriptedWrite(['EAGAIN']);
    const done = writeAllToFd([Buffer.alloc(8), Buffer.alloc(8)], options(w.writeSync, () => current));
    const outcome = expect(done).rejects.toMatchObject({ code: 'closed' });
    current = false;
    await vi.advanceTimersByTimeAsync(100);
    await outcome;
    expect(w.calls).toEqual([8]);
  });

  it('passes any other OS error on (EIO: the device is gone)', async () => {
    const w = scriptedWrite([8, 'EIO']);
    await expect(writeAllToFd([Buffer.alloc(8), Buffer.alloc(8)], options(w.writeSync))).rejects.toMatchObject({ code: 'EIO' });
  });
});
