import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** How long an idle keep-alive connection stays open (see `listen`). */
export const KEEP_ALIVE_MS = 65_000;

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting connections and resolves when in-flight requests have finished. */
  close(timeoutMs: number): Promise<void>;
}

export async function listen(app: Express, host: string, port: number): Promise<RunningServer> {
  const server = createServer(app);
  // An idle keep-alive connection stays open longer than a proxy in front keeps it (60 s by
  // default on AWS load balancers, which ask for the application's timeout to be the larger one:
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html).
  // Node's 5 s closed connections a client or proxy was about to reuse, which it sees as a reset
  // request (a 502 behind a proxy, "other side closed" in a script).
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // A request head must finish within this, and Node wants it above the keep-alive timeout.
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close(timeoutMs) {
      return new Promise((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        // Keep-alive sockets with no request in flight would hold close() open.
        server.closeIdleConnections();
      });
    },
  };
}
