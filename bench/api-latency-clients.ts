/**
 * The client side of bench/api-latency.ts, in its own process so 50 clients do not share the engine's
 * event loop: opens N stream connections, and for every inverter QPIGS sample notes when it arrived
 * (epoch ms with sub-ms resolution). Prints one JSON object on stdout when done.
 * Args: <port> <token> <clients> <seconds>
 */
import WebSocket from 'ws';

const [portText, token, clientsText, secondsText] = process.argv.slice(2);
const port = Number(portText);
const clients = Number(clientsText);
const seconds = Number(secondsText);
const epochNow = (): number => performance.timeOrigin + performance.now();

const arrivals: Array<[number, number]> = [];
let connected = 0;
const sockets: WebSocket[] = [];
for (let i = 0; i < clients; i++) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/stream?token=${token}`);
  ws.on('open', () => connected++);
  ws.on('message', (data) => {
    const at = epochNow();
    const message = JSON.parse(String(data)) as { type: string; sample?: { device: string; source: string; tsMs: number } };
    if (message.type === 'sample' && message.sample?.device === 'inverter' && message.sample.source === 'QPIGS') arrivals.push([message.sample.tsMs, at]);
  });
  ws.on('error', (err) => process.stderr.write(`client ${i}: ${err.message}\n`));
  sockets.push(ws);
}

setTimeout(() => {
  for (const ws of sockets) ws.terminate();
  process.stdout.write(JSON.stringify({ connected, arrivals }) + '\n');
}, seconds * 1000);
