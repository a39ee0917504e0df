import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FdReader, type ReadinessPoller } from './serial-reader.js';

/** A poller whose readable events the test fires by hand; it counts how often it was armed. */
class FakePoller implements ReadinessPoller {
  reader: FdReader | null = null;
  isArmed = false;
  armed = 0;
  throwOnArm: Error | null = null;
  arm(): void {
    if (this.throwOnArm) throw this.throwOnArm;
    if (this.isArmed) throw new Error('armed twice without an event in between');
    this.isArmed = true;
    this.armed++;
  }
  disarm(): void {
    this.isArmed = false;
  }
  /** The OS reports readiness (or a failed poll) for an armed poll. */
  fire(err: Error | null = null): void {
    if (!this.isArmed) throw new Error('fired while not armed');
    this.isArmed = false;
    this.reader?.onReadable(err);
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

function rig(script: Array<string | Buffer>, bufferBytes = 8, msPerByte?: number) {
  const poller = new FakePoller();
  const { readSync, calls } = scriptedRead(script);
  const chunks: Buffer[] = [];
  const ends: NodeJS.ErrnoException[] = [];
  const reader = new FdReader({ fd: 7, poller, bufferBytes, readSync, msPerByte, onData: (c) => chunks.push(c), onEnd: (e) => ends.push(e) });
  poller.reader = reader;
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
    expect(r.poller.isArmed).toBe(false);
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
    expect(r.poller.isArmed).toBe(false);
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
    expect(r.poller.isArmed).toBe(false);
  });

  it('ends when the poll cannot even be armed', () => {
    const r = rig([]);
    r.poller.throwOnArm = errno('EBADF');
    r.reader.start();
    expect(r.ends.map((e) => e.code)).toEqual(['EBADF']);
    expect(r.reader.isRunning).toBe(false);
  });

  it('stopped while waiting: disarms the poll and calls back nothing, even for a late event', () => {
    const r = rig([Buffer.from('late'), 'EIO']);
    r.reader.start();
    r.reader.stop();
    expect(r.poller.isArmed).toBe(false);
    r.reader.onReadable(null);
    r.reader.onReadable(new Error('Canceled'));
    expect(r.calls.count).toBe(0);
    expect(r.chunks).toEqual([]);
    expect(r.ends).toEqual([]);
  });

  it('stopped by a data listener: reads nothing more and does not re-arm', () => {
    const poller = new FakePoller();
    const { readSync, calls } = scriptedRead([Buffer.from('12345678'), Buffer.from('more')]);
    const ends: unknown[] = [];
    const reader: FdReader = new FdReader({ fd: 7, poller, bufferBytes: 8, readSync, onData: () => reader.stop(), onEnd: (e) => ends.push(e) });
    poller.reader = reader;
    reader.start();
    poller.fire();
    expect(calls.count).toBe(1);
    expect(poller.isArmed).toBe(false);
    expect(ends).toEqual([]);
  });
});

describe('FdReader reporting the end of a wake-up (onDrained)', () => {
  function drainRig(script: Array<string | Buffer>, msPerByte?: number) {
    const poller = new FakePoller();
    const { readSync } = scriptedRead(script);
    const log: string[] = [];
    const reader = new FdReader({
      fd: 7,
      poller,
      bufferBytes: 8,
      readSync,
      msPerByte,
      onData: (c) => log.push(`data ${c.toString()}`),
      onDrained: () => log.push('drained'),
      onEnd: (e) => log.push(`end ${e.code ?? ''}`),
    });
    poller.reader = reader;
    return { poller, reader, log };
  }

  it('once after all the reads of one event, not for an event that read nothing', () => {
    // Three 8-byte reads fill the buffer each time: the reader goes on until EAGAIN.
    const r = drainRig([Buffer.from('report-1'), Buffer.from('report-2'), Buffer.from('report-3'), 'EAGAIN', 'EAGAIN']);
    r.reader.start();
    r.poller.fire();
    r.poller.fire();
    expect(r.log).toEqual(['data report-1', 'data report-2', 'data report-3', 'drained']);
    expect(r.poller.isArmed).toBe(true);
  });

  it('not at all when the reads ended the reader: onEnd instead, after the data', () => {
    const r = drainRig([Buffer.from('report-1'), 'EIO']);
    r.reader.start();
    r.poller.fire();
    expect(r.log).toEqual(['data report-1', 'end EIO']);
  });

  it('before the end a failed poll brings, when the last read still delivered', () => {
    const r = drainRig([Buffer.from('last')]);
    r.reader.start();
    r.poller.fire(new Error('bad file descriptor'));
    expect(r.log).toEqual(['data last', 'drained', 'end EPOLL']);
  });

  it('a listener that stops the reader there: nothing is armed or read after it', () => {
    const poller = new FakePoller();
    const { readSync, calls } = scriptedRead([Buffer.from('first'), Buffer.from('second')]);
    const reader: FdReader = new FdReader({ fd: 7, poller, bufferBytes: 8, readSync, onData: () => undefined, onDrained: () => reader.stop(), onEnd: () => undefined });
    poller.reader = reader;
    reader.start();
    poller.fire();
    expect(calls.count).toBe(1);
    expect(poller.isArmed).toBe(false);
  });

  describe('with an announced reply', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('once for the first chunk and once for the reads after the sleep', () => {
      const r = drainRig([Buffer.from('12345678'), 'EAGAIN', Buffer.from('abcdefgh'), Buffer.from('ABCDEFGH'), 'EAGAIN'], 10_000 / 2400);
      r.reader.start();
      r.reader.expect(24);
      r.poller.fire();
      expect(r.log).toEqual(['data 12345678', 'drained']);
      vi.advanceTimersByTime(1000);
      expect(r.log).toEqual(['data 12345678', 'drained', 'data abcdefgh', 'data ABCDEFGH', 'drained']);
    });
  });
});

/** 2400 baud, 8N1: ten bits a byte. */
const MS_PER_BYTE_2400 = 10_000 / 2400;
const bytes = (n: number, fill = 'x'): Buffer => Buffer.alloc(n, fill);

describe('FdReader with an announced reply', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('takes the first chunk, sleeps while the rest is on the wire, reads it in one go and the end as it comes', () => {
    // 110 bytes at 2400 baud: 5 now; the other 105 take ~438 ms, and the reader looks again 20 ms before that.
    // A tty read hands over all it holds (here more than the 64-byte buffer, so two reads); a short one
    // emptied it, and no EAGAIN read is spent to prove that.
    const r = rig([bytes(5), bytes(64), bytes(36), bytes(5)], 64, MS_PER_BYTE_2400);
    r.reader.start();
    r.reader.expect(110);
    r.poller.fire();
    expect(r.poller.isArmed).toBe(false);
    vi.advanceTimersByTime(105 * MS_PER_BYTE_2400 - 25);
    expect(r.calls.count).toBe(1);
    vi.advanceTimersByTime(5);
    expect(Buffer.concat(r.chunks).length).toBe(105);
    expect(r.calls.count).toBe(3);
    // The last chunk is not slept on: the poll is armed and reads it as soon as it is there.
    expect(r.poller.isArmed).toBe(true);
    r.poller.fire();
    expect(Buffer.concat(r.chunks).length).toBe(110);
    // Three wake-ups for the whole reply (event, timer, event) instead of one per 20-ms chunk.
    expect(r.poller.armed).toBe(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a reply shorter than announced: no longer than the announced bytes take, then back to chunk by chunk', () => {
    const r = rig([bytes(5), 'EAGAIN', bytes(3)], 64, MS_PER_BYTE_2400);
    r.reader.start();
    r.reader.expect(110);
    r.poller.fire();
    vi.advanceTimersByTime(105 * MS_PER_BYTE_2400);
    expect(r.poller.isArmed).toBe(true);
    // The line went quiet: the rest of the announcement is forgotten and the next chunk is read at once.
    r.poller.fire();
    expect(r.chunks.map((c) => c.length)).toEqual([5, 3]);
    expect(r.poller.isArmed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a device slower than its line: sleeps again while bytes keep coming', () => {
    const r = rig([bytes(10), bytes(40), bytes(50)], 64, MS_PER_BYTE_2400);
    r.reader.start();
    r.reader.expect(100);
    r.poller.fire();
    vi.advanceTimersByTime(90 * MS_PER_BYTE_2400 - 20);
    expect(r.chunks.map((c) => c.length)).toEqual([10, 40]);
    expect(r.poller.isArmed).toBe(false);
    vi.advanceTimersByTime(50 * MS_PER_BYTE_2400 - 20);
    expect(r.chunks.map((c) => c.length)).toEqual([10, 40, 50]);
    expect(r.poller.isArmed).toBe(true);
  });

  it('does not sleep for the last few bytes of a reply, and never longer than a second', () => {
    const tail = rig([bytes(5)], 64, MS_PER_BYTE_2400);
    tail.reader.start();
    tail.reader.expect(8);
    tail.poller.fire();
    expect(tail.poller.isArmed).toBe(true);

    const huge = rig([bytes(5), bytes(60)], 64, MS_PER_BYTE_2400);
    huge.reader.start();
    huge.reader.expect(100_000);
    huge.poller.fire();
    vi.advanceTimersByTime(1000);
    expect(huge.chunks.map((c) => c.length)).toEqual([5, 60]);
  });

  it('announced while the previous reply is read: waits for the new reply to begin before sleeping', () => {
    const r = rig([bytes(5), bytes(105), bytes(5), bytes(105)], 128, MS_PER_BYTE_2400);
    r.reader.start();
    r.reader.expect(110);
    // The next reply is announced by whoever takes the end of this one, from inside the data callback.
    let announced = false;
    const onData = r.reader['options'].onData;
    r.reader['options'].onData = (chunk: Buffer) => {
      onData(chunk);
      if (!announced && Buffer.concat(r.chunks).length >= 110) {
        announced = true;
        r.reader.expect(110);
      }
    };
    r.poller.fire();
    vi.advanceTimersByTime(1000);
    expect(r.chunks.map((c) => c.length)).toEqual([5, 105]);
    // Nothing of the new reply has come yet: the reader waits on the poll, not on a timer.
    expect(r.poller.isArmed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    r.poller.fire();
    expect(r.poller.isArmed).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(r.chunks.map((c) => c.length)).toEqual([5, 105, 5, 105]);
  });

  it('without a line rate an announcement changes nothing', () => {
    const r = rig([bytes(5), bytes(5)], 64);
    r.reader.start();
    r.reader.expect(110);
    r.poller.fire();
    expect(r.poller.isArmed).toBe(true);
  });

  it('stopped while sleeping on a reply: reads nothing more and arms nothing', () => {
    const r = rig([bytes(5), bytes(50)], 64, MS_PER_BYTE_2400);
    r.reader.start();
    r.reader.expect(110);
    r.poller.fire();
    r.reader.stop();
    vi.advanceTimersByTime(2000);
    expect(r.calls.count).toBe(1);
    expect(r.poller.isArmed).toBe(false);
  });

  it('ends on EIO found after the sleep, with the bytes before it delivered', () => {
    const r = rig([bytes(5), bytes(20), 'EIO'], 64, MS_PER_BYTE_2400);
    r.reader.start();
    r.reader.expect(110);
    r.poller.fire();
    vi.advanceTimersByTime(1000);
    expect(r.chunks.map((c) => c.length)).toEqual([5, 20]);
    expect(r.ends.map((e) => e.code)).toEqual(['EIO']);
    expect(r.reader.isRunning).toBe(false);
  });
});
