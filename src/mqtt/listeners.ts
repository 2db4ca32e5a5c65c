// The embedded broker's TCP and TLS listeners: connections per address are counted before a
// byte is read (and before a TLS handshake), and each accepted socket reaches aedes through a
// guarded connection (packet size and publish rate, guarded-connection.ts).
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { guardConnection } from './guarded-connection.js';

export type LimitBroken = 'too-large' | 'malformed' | 'too-fast' | 'too-many-connections';

export interface ListenerDeps {
  maxConnectionsPerAddress: number;
  maxPacketBytes: number;
  maxPublishPerSecond: number;
  now: () => number;
  /** A client's guarded connection, its source address and whether it has hung up, for aedes. */
  handle(conn: Duplex, address: string, peerGone: () => boolean): void;
  onLimit(limit: LimitBroken, address: string): void;
  onTlsError(err: Error, address: string): void;
}

export interface Listeners {
  /** Listens on host:port (0 = any free port); resolves with the bound port. */
  listen(server: Server, host: string, port: number): Promise<number>;
  plain(): Server;
  tls(cert: Buffer, key: Buffer): Server;
  /** Closes the servers and every open connection. */
  close(): Promise<void>;
}

export function createListeners(deps: ListenerDeps): Listeners {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const perAddress = new Map<string, number>();

  const count = (server: Server): void => {
    server.on('connection', (socket: Socket) => {
      const address = socket.remoteAddress ?? 'unknown';
      const open = perAddress.get(address) ?? 0;
      if (open >= deps.maxConnectionsPerAddress) {
        deps.onLimit('too-many-connections', address);
        socket.destroy();
        return;
      }
      perAddress.set(address, open + 1);
      sockets.add(socket);
      socket.once('close', () => {
        sockets.delete(socket);
        const n = (perAddress.get(address) ?? 1) - 1;
        if (n <= 0) perAddress.delete(address);
        else perAddress.set(address, n);
      });
    });
  };
  const accept = (socket: Socket | TLSSocket): void => {
    if (socket.destroyed) return;
    const address = socket.remoteAddress ?? 'unknown';
    const conn = guardConnection(socket, {
      maxPacketBytes: deps.maxPacketBytes,
      maxPublishPerSecond: deps.maxPublishPerSecond,
      now: deps.now,
      onRefused: (limit) => deps.onLimit(limit, address),
      onHeld: () => deps.onLimit('too-fast', address),
    });
    // aedes stops reading while a login is checked, so it sees a hang-up only afterwards.
    let gone = false;
    socket.once('end', () => (gone = true));
    socket.once('close', () => (gone = true));
    deps.handle(conn, address, () => gone);
  };

  return {
    plain() {
      const server = createServer();
      count(server);
      server.on('connection', accept);
      servers.push(server);
      return server;
    },
    tls(cert, key) {
      const server = createTlsServer({ cert, key, minVersion: 'TLSv1.2' });
      count(server);
      server.on('secureConnection', accept);
      server.on('tlsClientError', (err, socket) => deps.onTlsError(err, socket.remoteAddress ?? 'unknown'));
      servers.push(server);
      return server;
    },
    listen(server, host, port) {
      return new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const addr = server.address();
          resolve(addr && typeof addr === 'object' ? addr.port : port);
        });
      });
    },
    async close() {
      const closing = servers.splice(0).map(
        (s) =>
          new Promise<void>((resolve) => {
            if (!s.listening) return resolve();
            s.close(() => resolve());
          }),
      );
      for (const s of sockets) s.destroy();
      await Promise.all(closing);
      sockets.clear();
      perAddress.clear();
    },
  };
}
