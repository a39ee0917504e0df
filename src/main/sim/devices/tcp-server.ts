/**
 * A simulator on a TCP port, like a serial-to-Ethernet bridge in front of the device: every connection
 * is a byte endpoint. A `disconnect` fault drops the open connections and refuses new ones for its
 * duration.
 */
import { createServer, type Socket } from 'node:net';
import type { DeviceSimulator } from './device-simulator.js';

export interface TcpSimulatorServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export function serveTcp(simulator: DeviceSimulator, options: { host?: string; port?: number } = {}): Promise<TcpSimulatorServer> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  let refuseUntilMs = 0;
  const server = createServer((socket) => {
    if (Date.now() < refuseUntilMs) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.setNoDelay(true);
    const detach = simulator.attach({
      write: (data) => {
        if (!socket.destroyed) socket.write(Buffer.from(data));
      },
      onData: (listener) => {
        socket.on('data', listener);
        return () => socket.off('data', listener);
      },
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      detach();
      sockets.delete(socket);
    });
  });
  const stopListening = simulator.onDisconnect((durationMs) => {
    refuseUntilMs = Date.now() + durationMs;
    for (const socket of sockets) socket.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        host,
        port,
        close: () =>
          new Promise<void>((done) => {
            stopListening();
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
