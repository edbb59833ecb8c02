import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';

/**
 * One port serving both plain HTTP and HTTPS: the first byte of a connection tells a TLS
 * handshake (0x16) from an HTTP request, so every URL works with either scheme.
 */

const MAX_HEAD_BYTES = 256 * 1024;

export interface TlsMaterial {
  key: string;
  cert: string;
}

export interface Listener {
  port: number;
  close(): Promise<void>;
}

export function listenDual(
  handler: RequestListener,
  host: string,
  port: number,
  tls: TlsMaterial | undefined,
): Promise<Listener> {
  // Node refuses request heads over 16 KiB (431); a Composite subrequest's URL (a query naming
  // 2,000 Ids) travels in its call's body on Salesforce, but this org runs subrequests over its
  // own port, so the head may be longer. The API's own URI limit is checked in api-middleware.ts.
  const http = createHttpServer({ maxHeaderSize: MAX_HEAD_BYTES }, handler);
  const https = tls
    ? createHttpsServer({ key: tls.key, cert: tls.cert, maxHeaderSize: MAX_HEAD_BYTES }, handler)
    : undefined;
  http.keepAliveTimeout = 5_000;
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('readable', () => {
      const first = socket.read(1) as Buffer | null;
      if (first === null) {
        socket.once('readable', () => dispatch(socket));
        return;
      }
      socket.unshift(first);
      route(socket, first);
    });
  });
  const dispatch = (socket: Socket): void => {
    const first = socket.read(1) as Buffer | null;
    if (first === null) return;
    socket.unshift(first);
    route(socket, first);
  };
  const route = (socket: Socket, first: Buffer): void => {
    if (https && first[0] === 0x16) https.emit('connection', socket);
    else http.emit('connection', socket);
  };
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            http.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
