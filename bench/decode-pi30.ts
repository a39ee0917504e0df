/**
 * Decoding speed of the PI30 codec on real fixture frames: decodeResponse('QPIGS', …) (the one-per-second
 * poll), the frame check alone, QPIRI and QPIWS, and the stream assembler.
 * Run: npx tsx bench/decode-pi30.ts  -> bench/results/decode-pi30.json
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Pi30FrameAssembler, decodeResponse, parseReplyFrame } from '../src/main/protocol/pi30/index.js';

interface Fixture {
  id: string;
  command: string;
  direction: string;
  valid: boolean;
  frameHex: string;
}

const fixtures = JSON.parse(readFileSync(new URL('../test/fixtures/pi30.json', import.meta.url), 'utf8')) as Fixture[];
const framesOf = (command: string): Uint8Array[] =>
  fixtures.filter((f) => f.command === command && f.direction === 'response' && f.valid).map((f) => Uint8Array.from(Buffer.from(f.frameHex, 'hex')));

const qpigs = framesOf('QPIGS');
const qpiri = framesOf('QPIRI');
const qpiws = framesOf('QPIWS');
if (qpigs.length === 0 || qpiri.length === 0 || qpiws.length === 0) throw new Error('fixture frames missing');

interface Figure {
  name: string;
  framesPerSecond: number;
  microsecondsEach: number;
}

/** Calls `fn(i)` for about `ms` after a warm-up; returns frames per second. A failed decode aborts the run. */
function measure(name: string, framesPerCall: number, fn: (i: number) => boolean, ms = 500): Figure {
  for (let i = 0; i < 5000; i++) if (!fn(i)) throw new Error(`${name}: decode failed`);
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 1000; i++) if (!fn(calls + i)) throw new Error(`${name}: decode failed`);
    calls += 1000;
    elapsed = performance.now() - start;
  }
  const framesPerSecond = ((calls * framesPerCall) / elapsed) * 1000;
  return { name, framesPerSecond: Math.round(framesPerSecond), microsecondsEach: 1e6 / framesPerSecond };
}

const pick = (frames: Uint8Array[], i: number): Uint8Array => frames[i % frames.length] as Uint8Array;
const stream = Uint8Array.from([0xff, ...qpigs.flatMap((f) => [...f]), ...qpiri.flatMap((f) => [...f])]);
const streamFrames = qpigs.length + qpiri.length;

const figures: Figure[] = [
  measure(`decodeResponse QPIGS (${qpigs.length} fixture frames, 21-24 fields)`, 1, (i) => decodeResponse('QPIGS', pick(qpigs, i)).ok),
  measure('parseReplyFrame QPIGS (CRC and framing only)', 1, (i) => parseReplyFrame(pick(qpigs, i)).ok),
  measure(`decodeResponse QPIRI (${qpiri.length} fixture frames)`, 1, (i) => decodeResponse('QPIRI', pick(qpiri, i)).ok),
  measure(`decodeResponse QPIWS (${qpiws.length} fixture frames)`, 1, (i) => decodeResponse('QPIWS', pick(qpiws, i)).ok),
  measure(`assembler, ${streamFrames} frames in 16-byte reads`, streamFrames, () => {
    const assembler = new Pi30FrameAssembler();
    let n = 0;
    for (let i = 0; i < stream.length; i += 16) n += assembler.push(stream.subarray(i, i + 16)).length;
    return n === streamFrames;
  }),
];

const byName = (prefix: string): Figure => figures.find((f) => f.name.startsWith(prefix)) as Figure;
const qpigsFigure = byName('decodeResponse QPIGS');
const result = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  figures,
  ratios: {
    // Share of a QPIGS decode spent on framing and CRC versus fields (same run, same machine).
    qpigsFrameCheckVsFullDecode: byName('parseReplyFrame QPIGS').framesPerSecond / qpigsFigure.framesPerSecond,
  },
  // 2400 baud 8N1 carries 240 bytes/s: about two ~110-byte QPIGS replies per second at most.
  wireLimitQpigsFramesPerSecond: Math.floor(240 / 110),
};

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/decode-pi30.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
for (const f of figures) process.stdout.write(`${f.name.padEnd(60)} ${String(f.framesPerSecond).padStart(10)} frames/s  ${f.microsecondsEach.toFixed(2)} µs\n`);
process.stdout.write('written bench/results/decode-pi30.json\n');
