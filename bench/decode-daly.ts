/**
 * Decoding speed of the BMS and meter codecs: Daly 0x95 for a 16S pack (6 frames, and the 16-frame
 * variant), Daly 0x90, the Daly stream assembler, and SDM230 reads (one value and an 8-register block).
 * Run: npx tsx bench/decode-daly.ts  -> bench/results/decode-daly.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { DalyFrameAssembler, decodeDalyResponse } from '../src/main/protocol/daly/index.js';
import { decodeMbmdBody } from '../src/main/protocol/mbmd/index.js';
import { decodeReadInputRegistersResponse } from '../src/main/protocol/modbus/index.js';

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

// Real replies from test/fixtures (daly-95-b-16s-6frames, daly-95-mpp-16s-16frames, daly-90-a1,
// sdm-0000-voltage-eastron-example, sdm-0048-block-4regs-constructed, mbmd-avg-sdm230-full).
const DALY_95_6 =
  'a5019508010cce0ccf0cce00d3a5019508020ccf0ccf0cd100d8a5019508030cd10ccc0cce00d5a5019508040cd00ccb0ccd00d3a5019508050ccf0ccc0cd000d7a5019508060ccd0ccc0cd000d6';
const DALY_95_16 =
  'a5019508010cfd0cfe0cfe40a1a5019508020cfe0cfe0cfe40a3a5019508030cfe0cfe0cfe40a4a5019508040cfe0cfc0cfe40a3a5019508050cfe0cff0cfe40a7a5019508060cfc000000004091a501950807000000000000408aa501950808000000000000408ba501950809000000000000408ca50195080a000000000000408da50195080b000000000000408ea50195080c000000000000408fa50195080d0000000000004090a50195080e0000000000004091a50195080f0000000000004092a5019508100000000000004093';
const DALY_90 = 'a5019008020300007724033819';
const SDM_VOLTAGE = '010404436633341b38';
const SDM_BLOCK = '010410448e553f0000000041d1020c448934316fcd';
const MBMD =
  '{"SDM2301.1":{"Timestamp":"2023-03-29T10:15:02.123456789+02:00","Unix":1680077702,"ApparentPower":385.846130,"Cosphi":0.442065,"Current":1.617000,"Export":0.000000,"Frequency":50.000000,"Import":1138.663940,"PhaseAngle":0.000000,"Power":170.500000,"ReactiveExport":1097.630981,"ReactiveImport":26.125999,"ReactivePower":-346.000000,"Sum":1138.663940,"Voltage":235.100006}}';

interface Figure {
  name: string;
  /** Replies (or streams) decoded per second. */
  perSecond: number;
  /** Wire frames (13-byte Daly frames, Modbus replies) per second. */
  framesPerSecond: number;
  microsecondsEach: number;
}

/** Runs `fn` for about `ms` after a warm-up and returns calls per second. Fails loudly if a decode fails. */
function measure(name: string, framesPerCall: number, fn: () => boolean, ms = 400): Figure {
  for (let i = 0; i < 2000; i++) if (!fn()) throw new Error(`${name}: decode failed`);
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 1000; i++) if (!fn()) throw new Error(`${name}: decode failed`);
    calls += 1000;
    elapsed = performance.now() - start;
  }
  const perSecond = (calls / elapsed) * 1000;
  return { name, perSecond: Math.round(perSecond), framesPerSecond: Math.round(perSecond * framesPerCall), microsecondsEach: 1e6 / perSecond };
}

const daly956 = hex(DALY_95_6);
const daly9516 = hex(DALY_95_16);
const daly90 = hex(DALY_90);
const sdmVoltage = hex(SDM_VOLTAGE);
const sdmBlock = hex(SDM_BLOCK);
const stream = Uint8Array.from([0, 0, ...daly90, ...daly956]);

const figures: Figure[] = [
  measure('daly 0x95 16S, 6 frames', 6, () => decodeDalyResponse(0x95, daly956, { cellCount: 16 }).ok),
  measure('daly 0x95 16S, 16 frames sent', 16, () => decodeDalyResponse(0x95, daly9516, { cellCount: 16 }).ok),
  measure('daly 0x90', 1, () => decodeDalyResponse(0x90, daly90).ok),
  measure('daly assembler, 2 noise bytes + 7 frames in 5-byte reads', 7, () => {
    const asm = new DalyFrameAssembler();
    let n = 0;
    for (let i = 0; i < stream.length; i += 5) n += asm.push(stream.subarray(i, i + 5)).length;
    return n === 7;
  }),
  measure('sdm230 read, 1 value', 1, () => decodeReadInputRegistersResponse(sdmVoltage, { start: 0, slaveId: 1, count: 2 }).ok),
  measure('sdm230 read, 8-register block', 1, () => decodeReadInputRegistersResponse(sdmBlock, { start: 0x48, slaveId: 1, count: 8 }).ok),
  measure('mbmd /api/avg body, 13 values', 1, () => decodeMbmdBody(MBMD, 'SDM2301.1').ok),
];

const find = (name: string): Figure => figures.find((f) => f.name === name) as Figure;
const result = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  figures,
  ratios: {
    // How much slower a full 16S cell read is than one 0x90 reply (same run, same machine).
    daly95SixFramesVs90: find('daly 0x90').perSecond / find('daly 0x95 16S, 6 frames').perSecond,
    sdmBlockVsSingle: find('sdm230 read, 1 value').perSecond / find('sdm230 read, 8-register block').perSecond,
  },
  // 9600 baud 8N1 carries 960 bytes/s: 73 Daly frames/s at most, whatever the decoder does.
  wireLimitDalyFramesPerSecond: Math.floor(960 / 13),
};

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/decode-daly.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
for (const f of figures) {
  process.stdout.write(`${f.name.padEnd(58)} ${String(f.perSecond).padStart(10)}/s  ${String(f.framesPerSecond).padStart(10)} frames/s  ${f.microsecondsEach.toFixed(2)} µs\n`);
}
process.stdout.write(`written bench/results/decode-daly.json\n`);
