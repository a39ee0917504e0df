import { describe, expect, it } from 'vitest';
import { FdReader, type ReadinessPoller } from './serial-reader.js';

type Listener = (err: Error | null) => void;

/** A poller whose readable events the test fires by hand; it counts how often it was armed. */
class FakePoller implements ReadinessPoller {
  listener: Listener | null = null;
  armed = 0;
  throwOnArm: Error | null = null;
  once(_event: 'readable', listener: Listener): void {
    if (this.throwOnArm) throw this.throwOnArm;
    if (this.listener) throw new Error('armed twice without an event in between');
    this.listener = listener;
    this.armed++;
  }
  removeListener(_event: 'readable', listener: Listener): void {
    if (this.listener === listener) this.listener = null;
  }
  fire(err: Error | null = null): void {
    const listener = this.listener;
    this.listener = null;
    listener?.(err);
  }
}

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: read failed`), { code });

/** What successive reads return: bytes, or an errno thrown; an empty script reads EAGAIN. */
function scriptedRead(script: Array<string | Buffer>) {
  const calls = { count: 0 };
  const readSync = (_fd: number, buffer: Buffer, offset: number, length: number): number => {
    calls.count++;
    const next = script.shift() ?? 'EAGAIN';
    if (typeof next === 'string') throw errno(next);
    if (next.length > length) throw new Error(`test script: ${next.length} bytes do not fit a ${length}-byte read`);
    next.copy(buffer, offset);
    return next.length;
  };
  return { readSync, calls };
}

function rig(script: Array<string | Buffer>, bufferBytes = 8) {
  const poller = new FakePoller();
  const { readSync, calls } = scriptedRead(script);
  const chunks: Buffer[] = [];
  const ends: NodeJS.ErrnoException[] = [];
  const reader = new FdReader({ fd: 7, poller, bufferBytes, readSync, onData: (c) => chunks.push(c), onEnd: (e) => ends.push(e) });
  return { poller, calls, chunks, ends, reader, script };
}

describe('FdReader', () => {
  it('reads once per readable event for short chunks and delivers them in order', () => {
    const r = rig([Buffer.from('(23'), Buffer.from('0.1 '), Buffer.from('50.0\r')]);
    r.reader.start();
    expect(r.calls.count).toBe(0);
    for (let i = 0; i < 3; i++) r.poller.fire();
    expect(Buffer.concat(r.chunks).toString()).toBe('(230.1 50.0\r');
    // A short read emptied the queue: no EAGAIN read is spent before waiting again.
    expect(r.calls.count).toBe(3);
    expect(r.poller.armed).toBe(4);
    expect(r.ends).toEqual([]);
  });

  it('keeps reading a burst larger than its buffer within one event', () => {
    const burst = Buffer.from('0123456789abcdefghijKLMNOPQRST');
    const r = rig([burst.subarray(0, 8), burst.subarray(8, 16), burst.subarray(16, 24), burst.subarray(24)], 8);
    r.reader.start();
    r.poller.fire();
    expect(Buffer.concat(r.chunks).toString()).toBe(burst.toString());
    expect(r.chunks).toHaveLength(4);
    expect(r.poller.armed).toBe(2);
  });

  it('hands out chunks it will not overwrite', () => {
    const r = rig([Buffer.from('first'), Buffer.from('second')]);
    r.reader.start();
    r.poller.fire();
    r.poller.fire();
    expect(r.chunks.map(String)).toEqual(['first', 'second']);
  });

  it('waits again on EAGAIN or EWOULDBLOCK and retries at once on EINTR', () => {
    const r = rig(['EAGAIN', 'EWOULDBLOCK', 'EINTR', Buffer.from('ok')]);
    r.reader.start();
    r.poller.fire();
    r.poller.fire();
    expect(r.chunks).toEqual([]);
    r.poller.fire();
    expect(r.chunks.map(String)).toEqual(['ok']);
    expect(r.ends).toEqual([]);
    expect(r.reader.isRunning).toBe(true);
  });

  it('ends once on EIO, after delivering what came before it, and stops polling', () => {
    const r = rig([Buffer.from('12345678'), Buffer.from('tail'), 'EIO']);
    r.reader.start();
    r.poller.fire();
    expect(r.chunks.map(String)).toEqual(['12345678', 'tail']);
    expect(r.ends).toEqual([]);
    r.poller.fire();
    expect(r.ends.map((e) => e.code)).toEqual(['EIO']);
    expect(r.poller.listener).toBeNull();
    expect(r.reader.isRunning).toBe(false);
  });

  it.each(['ENXIO', 'EBADF'])('ends on %s', (code) => {
    const r = rig([code]);
    r.reader.start();
    r.poller.fire();
    expect(r.ends.map((e) => e.code)).toEqual([code]);
  });

  it('takes a zero-byte read as a hangup', () => {
    const r = rig([Buffer.alloc(0)]);
    r.reader.start();
    r.poller.fire();
    expect(r.ends).toHaveLength(1);
    expect(r.ends[0]).toMatchObject({ code: 'EOF', message: expect.stringContaining('hung up') });
    expect(r.poller.listener).toBeNull();
  });

  it('reads once more when the poll fails, so the OS reason is reported rather than the poll error', () => {
    const r = rig([Buffer.from('last'), 'EIO']);
    r.reader.start();
    r.poller.fire(new Error('bad file descriptor'));
    expect(r.chunks.map(String)).toEqual(['last']);
    expect(r.ends.map((e) => e.code)).toEqual(['EIO']);
  });

  it('reports a failed poll when the fd still reads nothing', () => {
    const r = rig([]);
    r.reader.start();
    r.poller.fire(new Error('bad file descriptor'));
    expect(r.ends).toHaveLength(1);
    expect(r.ends[0]?.message).toBe('poll failed: bad file descriptor');
    expect(r.poller.listener).toBeNull();
  });

  it('ends when the poll cannot even be armed', () => {
    const r = rig([]);
    r.poller.throwOnArm = errno('EBADF');
    r.reader.start();
    expect(r.ends.map((e) => e.code)).toEqual(['EBADF']);
    expect(r.reader.isRunning).toBe(false);
  });

  it('stopped while waiting: removes its listener and calls back nothing, even for a late event', () => {
    const r = rig([Buffer.from('late'), 'EIO']);
    r.reader.start();
    const pending = r.poller.listener;
    r.reader.stop();
    expect(r.poller.listener).toBeNull();
    pending?.(null);
    pending?.(new Error('Canceled'));
    expect(r.calls.count).toBe(0);
    expect(r.chunks).toEqual([]);
    expect(r.ends).toEqual([]);
  });

  it('stopped by a data listener: reads nothing more and does not re-arm', () => {
    const poller = new FakePoller();
    const { readSync, calls } = scriptedRead([Buffer.from('12345678'), Buffer.from('more')]);
    const ends: unknown[] = [];
    const reader: FdReader = new FdReader({ fd: 7, poller, bufferBytes: 8, readSync, onData: () => reader.stop(), onEnd: (e) => ends.push(e) });
    reader.start();
    poller.fire();
    expect(calls.count).toBe(1);
    expect(poller.listener).toBeNull();
    expect(ends).toEqual([]);
  });
});
