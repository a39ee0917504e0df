/** Helpers for the simulator tests: a memory link to a simulator, and request/reply with a deadline. */
import { readFileSync } from 'node:fs';
import { createMemoryLink } from '../src/main/transport/memory.js';
import type { Transport } from '../src/main/transport/types.js';
import type { DeviceSimulator } from '../src/main/sim/index.js';

export interface Client {
  transport: Transport;
  /** Send bytes; resolve with what came back once `complete` says so, or whatever arrived by the deadline. */
  ask(request: Uint8Array, complete: (reply: Buffer) => boolean, timeoutMs?: number): Promise<Buffer>;
  /** Bytes that arrived and were not consumed by ask(). */
  drain(): Buffer;
}

export async function connect(simulator: DeviceSimulator): Promise<Client & { peer: ReturnType<typeof createMemoryLink>['peer'] }> {
  const { transport, peer } = createMemoryLink({ description: 'sim-test' });
  simulator.attach(peer);
  await transport.open();
  let received = Buffer.alloc(0);
  let wake: (() => void) | null = null;
  transport.onData((chunk) => {
    received = Buffer.concat([received, chunk]);
    wake?.();
  });
  return {
    transport,
    peer,
    async ask(request, complete, timeoutMs = 2000) {
      received = Buffer.alloc(0);
      await transport.write(request);
      const deadline = Date.now() + timeoutMs;
      while (!complete(received) && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
      const reply = received;
      received = Buffer.alloc(0);
      return reply;
    },
    drain() {
      const rest = received;
      received = Buffer.alloc(0);
      return rest;
    },
  };
}

/** A PI30 reply is complete at its first CR or LF after the start byte. */
export const pi30Complete = (reply: Buffer): boolean => reply.includes(0x0d) || reply.includes(0x0a);
/** `frames` Daly frames of 13 bytes. */
export const dalyComplete = (frames: number) => (reply: Buffer): boolean => reply.length >= 13 * frames;
/** A Modbus reply of `length` bytes, or an exception (5 bytes, function with bit 7). */
export const modbusComplete = (length: number) => (reply: Buffer): boolean =>
  reply.length >= length || (reply.length >= 5 && ((reply[1] ?? 0) & 0x80) !== 0);
export const never = (): boolean => false;

interface FixtureCase {
  id: string;
  frameAscii: string;
  frameHex: string;
}

/** The payload of a captured PI30 reply in test/fixtures/pi30.json, without `(`, CRC and terminator. */
export function capturedPi30Payload(id: string): string {
  const cases = JSON.parse(readFileSync(new URL('./fixtures/pi30.json', import.meta.url), 'utf8')) as FixtureCase[];
  const found = cases.find((c) => c.id === id);
  if (!found) throw new Error(`no fixture ${id}`);
  const bytes = Buffer.from(found.frameHex, 'hex');
  return bytes.subarray(1, bytes.length - 3).toString('latin1');
}

/** The shape of a field: digits become 9, so `057.50` and `123.45` share the shape `999.99`. */
export const shapeOf = (field: string): string => field.replace(/\d/g, '9');
