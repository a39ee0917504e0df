import { afterEach, describe, expect, it, vi } from 'vitest';
import { ok } from '../../../shared/result.js';
import type { LinkState, Sample } from '../../../shared/samples.js';
import { createMemoryLink, type MemoryLink } from '../../transport/memory.js';
import { DeviceRuntime, type DeviceProgram } from './device-runtime.js';
import type { FrameAssembler } from './request-queue.js';

class LineAssembler implements FrameAssembler {
  private held = '';
  push(chunk: Uint8Array): Uint8Array[] {
    this.held += Buffer.from(chunk).toString('latin1');
    const parts = this.held.split('\n');
    this.held = parts.pop() ?? '';
    return parts.map((p) => Buffer.from(p, 'latin1'));
  }
  reset(): void {
    this.held = '';
  }
}

/** A device that answers `PING` with `PONG <n>` while `answering` is true. */
function fakeDevice(link: MemoryLink) {
  const device = { answering: true, pings: 0 };
  link.peer.onData(() => {
    device.pings++;
    if (device.answering) link.peer.write(Buffer.from(`PONG ${device.pings}\n`));
  });
  return device;
}

function pingProgram(runtime: DeviceRuntime, tickMs = 5): DeviceProgram {
  return {
    onOpen: async () => undefined,
    tick: async () => {
      const result = await runtime.exchange({
        label: 'PING',
        request: Buffer.from('PING\n'),
        timeoutMs: 20,
        retries: 0,
        accept: (frame) => ({ kind: 'done', result: ok(Buffer.from(frame).toString('latin1')) }),
      });
      if (result.ok) runtime.emitSample('PING', { reply: result.value });
      return runtime.now() + tickMs;
    },
  };
}

const until = async (condition: () => boolean, what: string, limitMs = 5000): Promise<void> => {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};

let runtime: DeviceRuntime | null = null;
afterEach(async () => {
  vi.useRealTimers();
  await runtime?.stop();
  runtime = null;
});

function setup(options: { offlineAfterFailures?: number } = {}) {
  const link = createMemoryLink();
  const device = fakeDevice(link);
  runtime = new DeviceRuntime({
    kind: 'inverter',
    transport: link.transport,
    assembler: new LineAssembler(),
    backoff: { initialMs: 5, maxMs: 20, factor: 2 },
    ...options,
  });
  const samples: Sample[] = [];
  const states: Array<[LinkState, string | undefined]> = [];
  runtime.onSample((s) => samples.push(s));
  runtime.onLinkState((state, reason) => states.push([state, reason]));
  return { link, device, runtime, samples, states };
}

describe('DeviceRuntime', () => {
  it('goes online with the first good reply and emits samples', async () => {
    const { runtime, samples, states } = setup();
    runtime.start(pingProgram(runtime));
    await until(() => samples.length >= 2, 'two samples');
    expect(states.map(([s]) => s)).toEqual(['connecting', 'online']);
    expect(samples[0]).toMatchObject({ device: 'inverter', source: 'PING', values: { reply: 'PONG 1' } });
    expect(runtime.stats().framesOk).toBeGreaterThanOrEqual(2);
  });

  it('reconnects by itself when an unplugged device comes back, and counts the reconnect', async () => {
    const { runtime, samples, states, link } = setup();
    runtime.start(pingProgram(runtime));
    await until(() => samples.length >= 1, 'first sample');
    link.peer.disconnect();
    await until(() => runtime.linkState() === 'offline', 'offline');
    const before = samples.length;
    await new Promise((r) => setTimeout(r, 40));
    expect(samples.length).toBe(before);
    link.peer.reconnect();
    await until(() => samples.length > before && runtime.linkState() === 'online', 'samples after the reconnect');
    expect(runtime.stats().reconnects).toBe(1);
    expect(states.map(([s]) => s)).toEqual(['connecting', 'online', 'offline', 'connecting', 'online']);
  });

  it('waits longer and longer between attempts to open a missing device, up to the cap', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const link = createMemoryLink();
    link.peer.disconnect();
    const open = vi.spyOn(link.transport, 'open');
    runtime = new DeviceRuntime({ kind: 'bms', transport: link.transport, assembler: new LineAssembler(), backoff: { initialMs: 100, maxMs: 400, factor: 2 } });
    runtime.start(pingProgram(runtime));
    await vi.advanceTimersByTimeAsync(0);
    const opensAfter = async (ms: number): Promise<number> => {
      await vi.advanceTimersByTimeAsync(ms);
      return open.mock.calls.length;
    };
    expect(open.mock.calls.length).toBe(1);
    expect([await opensAfter(99), await opensAfter(1)]).toEqual([1, 2]);
    expect([await opensAfter(199), await opensAfter(1)]).toEqual([2, 3]);
    expect([await opensAfter(399), await opensAfter(1)]).toEqual([3, 4]);
    expect([await opensAfter(399), await opensAfter(1)]).toEqual([4, 5]);
    expect(runtime.linkState()).toBe('offline');
  });

  it('declares a silent device offline after the configured failures and online again when it answers', async () => {
    const { runtime, samples, states, device } = setup({ offlineAfterFailures: 3 });
    runtime.start(pingProgram(runtime));
    await until(() => samples.length >= 1, 'first sample');
    device.answering = false;
    await until(() => runtime.linkState() === 'offline', 'offline');
    expect(runtime.stats().timeouts).toBe(3);
    expect(states.at(-1)?.[1]).toMatch(/no valid reply to 3 requests/);
    device.answering = true;
    await until(() => runtime.linkState() === 'online', 'online again');
    expect(runtime.stats().reconnects).toBe(0);
  });

  it('survives a listener that throws and a program turn that throws', async () => {
    const { runtime, samples } = setup();
    const events: string[] = [];
    runtime.onSample(() => {
      throw new Error('listener bug');
    });
    runtime.onEvent((e) => events.push(e.message));
    let turns = 0;
    const program = pingProgram(runtime);
    runtime.start({
      onOpen: async () => undefined,
      tick: async () => {
        turns++;
        if (turns === 2) throw new Error('program bug');
        await program.tick();
        return runtime.now() + 1;
      },
    });
    await until(() => samples.length >= 3, 'samples after the faults');
    expect(events.some((m) => m.includes('program bug'))).toBe(true);
  });

  it('stop() ends the loop, closes the link and leaves no timer behind', async () => {
    const baseline = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const { runtime, samples, link } = setup();
    runtime.start(pingProgram(runtime, 50));
    await until(() => samples.length >= 1, 'first sample');
    await runtime.stop();
    const count = samples.length;
    expect(link.transport.isOpen).toBe(false);
    expect(runtime.linkState()).toBe('offline');
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(baseline);
    await new Promise((r) => setTimeout(r, 30));
    expect(samples.length).toBe(count);
  });

  it('stop() during the backoff after a lost link returns promptly and stays stopped', async () => {
    const { runtime, link } = setup();
    runtime.start(pingProgram(runtime));
    await until(() => runtime.linkState() === 'online', 'online');
    link.peer.disconnect();
    await until(() => runtime.linkState() === 'offline', 'offline');
    await runtime.stop();
    link.peer.reconnect();
    await new Promise((r) => setTimeout(r, 30));
    expect(link.transport.isOpen).toBe(false);
  });
});

describe('DeviceRuntime statistics', () => {
  it('files each kind of failed attempt under its counter', async () => {
    const link = createMemoryLink();
    // Answers by script: what the device sends for the n-th request.
    const script = ['', 'bad-crc\n', 'nak\n', 'zeros\n', 'odd\n', 'garbled', 'ok\n'];
    let n = 0;
    link.peer.onData(() => {
      const reply = script[n++] ?? 'ok\n';
      if (reply) link.peer.write(Buffer.from(reply));
    });
    runtime = new DeviceRuntime({ kind: 'bms', transport: link.transport, assembler: new LineAssembler(), offlineAfterFailures: 100 });
    const rt = runtime;
    const codes: Record<string, 'crc' | 'nak' | 'implausible' | 'unexpectedField'> = { 'bad-crc': 'crc', nak: 'nak', zeros: 'implausible', odd: 'unexpectedField' };
    let finished = false;
    rt.start({
      onOpen: async () => undefined,
      tick: async () => {
        for (let i = 0; i < script.length; i++) {
          await rt.exchange({
            label: 'REQ',
            request: Buffer.from('REQ\n'),
            timeoutMs: 30,
            retries: 0,
            accept: (frame) => {
              const text = Buffer.from(frame).toString();
              const code = codes[text];
              return { kind: 'done', result: code ? { ok: false, error: { code, message: text } } : ok(text) };
            },
          });
        }
        finished = true;
        return rt.now() + 60_000;
      },
    });
    await until(() => finished, 'the scripted exchanges');
    expect(rt.stats()).toMatchObject({ framesOk: 1, timeouts: 1, crcErrors: 2, naks: 1, implausible: 2 });
    expect(rt.stats().lastPollLatencyMs).toEqual(expect.any(Number));
  });
});
