import { afterEach, describe, expect, it } from 'vitest';
import { fail, ok } from '../../../shared/result.js';
import { createMemoryLink, type MemoryLink } from '../../transport/memory.js';
import { RequestQueue, type Exchange, type ExchangeStep, type FrameAssembler } from './request-queue.js';

/** Frames end at '\n'; the toy protocol of these tests. */
class LineAssembler implements FrameAssembler {
  private held = '';
  push(chunk: Uint8Array): Uint8Array[] {
    this.held += Buffer.from(chunk).toString('latin1');
    const frames: Uint8Array[] = [];
    for (let i = this.held.indexOf('\n'); i >= 0; i = this.held.indexOf('\n')) {
      frames.push(Buffer.from(this.held.slice(0, i), 'latin1'));
      this.held = this.held.slice(i + 1);
    }
    return frames;
  }
  reset(): void {
    this.held = '';
  }
}

const text = (frame: Uint8Array): string => Buffer.from(frame).toString('latin1');

/** Accepts a frame `<request>:<payload>`; a frame for another request is skipped, `NAK` is a refusal. */
function exchange(request: string, options: Partial<Exchange<string>> = {}): Exchange<string> {
  return {
    label: request,
    request: Buffer.from(`${request}\n`),
    timeoutMs: 40,
    retries: 0,
    accept(frame): ExchangeStep<string> {
      const [id, payload = ''] = text(frame).split(':');
      if (id === 'NAK') return { kind: 'done', result: fail('nak', 'refused') };
      if (id === 'BAD') return { kind: 'done', result: fail('crc', 'bad crc') };
      if (id !== request) return { kind: 'more' };
      return { kind: 'done', result: ok(payload) };
    },
    ...options,
  };
}

/** Two-frame replies: waits for `<request>:a` and `<request>:b`, in one read or two. */
function twoFrameExchange(request: string): Exchange<string> {
  const parts: string[] = [];
  return {
    ...exchange(request),
    accept(frame) {
      parts.push(text(frame).split(':')[1] ?? '');
      return parts.length < 2 ? { kind: 'more' } : { kind: 'done', result: ok(parts.join('+')) };
    },
  };
}

/** A peer that reads whole request lines and answers by a script. */
function scriptedPeer(link: MemoryLink, answer: (request: string, count: number) => void): string[] {
  const seen: string[] = [];
  let held = '';
  link.peer.onData((chunk) => {
    held += chunk.toString('latin1');
    for (let i = held.indexOf('\n'); i >= 0; i = held.indexOf('\n')) {
      const request = held.slice(0, i);
      held = held.slice(i + 1);
      seen.push(request);
      answer(request, seen.filter((r) => r === request).length);
    }
  });
  return seen;
}

const later = (fn: () => void, ms = 0): void => void setTimeout(fn, ms);

let queue: RequestQueue | null = null;
afterEach(() => queue?.close());

async function setup(answer: (link: MemoryLink) => (request: string, count: number) => void) {
  const link = createMemoryLink();
  await link.transport.open();
  const seen = scriptedPeer(link, answer(link));
  const attempts: string[] = [];
  queue = new RequestQueue(link.transport, new LineAssembler(), {
    onAttempt: (label, outcome) => attempts.push(`${label}:${outcome.ok ? 'ok' : outcome.failure.kind}`),
  });
  return { link, seen, attempts, queue };
}

describe('RequestQueue', () => {
  it('keeps one request on the wire at a time and answers each caller with its own reply', async () => {
    let outstanding = 0;
    let overlapped = false;
    const { queue } = await setup((link) => (request) => {
      outstanding++;
      if (outstanding > 1) overlapped = true;
      later(() => {
        outstanding--;
        link.peer.write(Buffer.from(`${request}:reply-${request}\n`));
      }, 3);
    });
    const results = await Promise.all(['A', 'B', 'C'].map((r) => queue.run(exchange(r))));
    expect(overlapped).toBe(false);
    expect(results.map((r) => (r.ok ? r.value : null))).toEqual(['reply-A', 'reply-B', 'reply-C']);
  });

  it('retries a silent device exactly `retries` times and then reports a timeout', async () => {
    const { queue, seen, attempts } = await setup(() => () => undefined);
    const result = await queue.run(exchange('Q', { retries: 2 }));
    expect(result).toMatchObject({ ok: false, failure: { kind: 'timeout' }, attempts: 3 });
    expect(seen).toEqual(['Q', 'Q', 'Q']);
    expect(attempts).toEqual(['Q:timeout', 'Q:timeout', 'Q:timeout']);
  });

  it('assembles a reply split over several reads', async () => {
    const { queue } = await setup((link) => () => {
      for (const [i, piece] of ['Q:', 'split', '-rep', 'ly\n'].entries()) later(() => link.peer.write(Buffer.from(piece)), i * 2);
    });
    expect(await queue.run(exchange('Q'))).toMatchObject({ ok: true, value: 'split-reply' });
  });

  it('takes two frames that arrive in one read', async () => {
    const { queue } = await setup((link) => () => link.peer.write(Buffer.from('M:a\nM:b\n')));
    expect(await queue.run(twoFrameExchange('M'))).toMatchObject({ ok: true, value: 'a+b' });
  });

  it('skips leading garbage and frames that belong to another request', async () => {
    const { queue } = await setup((link) => () => link.peer.write(Buffer.from('\x00\xff#!garbage\nOLD:stale\nQ:fresh\n', 'latin1')));
    expect(await queue.run(exchange('Q'))).toMatchObject({ ok: true, value: 'fresh' });
  });

  it('drops the partial tail of a failed attempt instead of gluing it to the next reply', async () => {
    const { queue, attempts } = await setup((link) => (_request, count) => {
      link.peer.write(Buffer.from(count === 1 ? 'Q:trunc' : 'Q:whole\n'));
    });
    const result = await queue.run(exchange('Q', { retries: 1 }));
    expect(result).toMatchObject({ ok: true, value: 'whole', attempts: 2 });
    expect(attempts).toEqual(['Q:garbled', 'Q:ok']);
  });

  it('ignores a late reply that arrives while nothing is outstanding', async () => {
    const { queue, link } = await setup((link) => (request, count) => {
      if (request === 'A' && count === 1) later(() => link.peer.write(Buffer.from('B:late-and-wrong\n')), 60);
      if (request === 'B') later(() => link.peer.write(Buffer.from('B:right\n')), 5);
    });
    const lateArrived = new Promise<void>((resolve) => link.transport.onData((c) => c.toString().includes('late') && resolve()));
    expect(await queue.run(exchange('A'))).toMatchObject({ ok: false, failure: { kind: 'timeout' } });
    await lateArrived;
    expect(await queue.run(exchange('B'))).toMatchObject({ ok: true, value: 'right' });
  });

  it('retries a corrupted reply but takes a NAK as the answer', async () => {
    const { queue, seen } = await setup((link) => (request, count) => {
      if (request === 'C') link.peer.write(Buffer.from(count === 1 ? 'BAD:x\n' : 'C:good\n'));
      if (request === 'N') link.peer.write(Buffer.from('NAK\n'));
    });
    expect(await queue.run(exchange('C', { retries: 3 }))).toMatchObject({ ok: true, value: 'good', attempts: 2 });
    expect(await queue.run(exchange('N', { retries: 3 }))).toMatchObject({ ok: false, failure: { kind: 'decode', error: { code: 'nak' } }, attempts: 1 });
    expect(seen.filter((r) => r === 'N')).toHaveLength(1);
  });

  it('lets a high-priority request overtake queued polls, but not the one on the wire', async () => {
    const { queue, seen } = await setup((link) => (request) => later(() => link.peer.write(Buffer.from(`${request}:ok\n`)), 2));
    const runs = [queue.run(exchange('P1')), queue.run(exchange('P2')), queue.run(exchange('P3')), queue.run(exchange('SET', { priority: 'high' }))];
    await Promise.all(runs);
    expect(seen).toEqual(['P1', 'SET', 'P2', 'P3']);
  });

  it('fails the request on the wire and the queued ones when the device disappears, without retrying', async () => {
    const { queue, seen, link } = await setup((link) => () => later(() => link.peer.disconnect(), 5));
    const results = await Promise.all([queue.run(exchange('A', { retries: 5, timeoutMs: 1000 })), queue.run(exchange('B'))]);
    expect(results.map((r) => (r.ok ? 'ok' : r.failure.kind))).toEqual(['offline', 'offline']);
    expect(seen).toEqual(['A']);
    expect(link.transport.isOpen).toBe(false);
  });

  it('close() settles every caller and leaves no timer running', async () => {
    const { queue } = await setup(() => () => undefined);
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const pending = [queue.run(exchange('A', { timeoutMs: 60_000 })), queue.run(exchange('B', { timeoutMs: 60_000 }))];
    await new Promise((r) => setImmediate(r));
    queue.close();
    const results = await Promise.all(pending);
    expect(results.map((r) => (r.ok ? 'ok' : r.failure.kind))).toEqual(['stopped', 'stopped']);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(timersBefore);
    expect(await queue.run(exchange('C'))).toMatchObject({ ok: false, failure: { kind: 'stopped' } });
  });
});

describe('RequestQueue reply-length hints', () => {
  it("announces each command's last good reply length with its next request; a refused reply does not change it", async () => {
    const { link, queue } = await setup((link) => (request, count) => {
      // The second LONG fails (a NAK); the third is answered again.
      if (request === 'LONG') link.peer.write(Buffer.from(count === 2 ? 'NAK\n' : 'LONG:0123456789\n'));
      else link.peer.write(Buffer.from(`${request}:x\n`));
    });
    const hints: number[] = [];
    link.transport.expectReply = (bytes) => hints.push(bytes);
    await queue.run(exchange('LONG'));
    await queue.run(exchange('S'));
    await queue.run(exchange('LONG'));
    await queue.run(exchange('LONG'));
    // Each exchange announces when it starts and withdraws (0) when it ends, so stray bytes later are read
    // as they come. Frames count without the newline the assembler cuts them at: 'LONG:0123456789' is 15.
    expect(hints).toEqual([0, 0, 0, 0, 15, 0, 15, 0]);
  });
});

describe('RequestQueue settling', () => {
  it('waits for a chatty device to fall quiet before the next request', async () => {
    const order: string[] = [];
    const { queue } = await setup((link) => (request) => {
      order.push(`request ${request}`);
      if (request === 'CELLS') {
        link.peer.write(Buffer.from('CELLS:1\n'));
        // Frames nobody asked for keep coming after the useful one.
        for (let i = 1; i <= 4; i++) later(() => (order.push(`extra ${i}`), link.peer.write(Buffer.from(`CELLS:extra${i}\n`))), i * 3);
      } else link.peer.write(Buffer.from(`${request}:ok\n`));
    });
    const first = queue.run(exchange('CELLS', { settleMs: 60 }));
    const second = queue.run(exchange('NEXT'));
    expect(await first).toMatchObject({ ok: true, value: '1' });
    expect(await second).toMatchObject({ ok: true, value: 'ok' });
    expect(order).toEqual(['request CELLS', 'extra 1', 'extra 2', 'extra 3', 'extra 4', 'request NEXT']);
  });
});
