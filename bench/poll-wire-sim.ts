/**
 * The simulator side of bench/poll-wire.ts, in its own process so the bench measures only the driver's
 * CPU: an inverter simulator paced at 2400 baud on a socat pty whose client end is the symlink argv[2].
 * Prints "ready" once the pty exists; exits when stdin closes.
 */
import { createPlant, exposeOnPty, InverterSimulator } from '../src/main/sim/index.js';

const link = process.argv[2];
if (!link) throw new Error('usage: poll-wire-sim.ts <link path>');
const plant = createPlant({ seed: 1, startTsMs: Date.UTC(2024, 5, 21, 9, 0) });
const sim = new InverterSimulator(plant, { pacing: true, baud: 2400 });
const pty = await exposeOnPty(sim, { link });
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  sim.close();
  void pty.close().then(() => process.exit(0));
});
