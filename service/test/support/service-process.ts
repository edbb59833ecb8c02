import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { spawnServiceScript } from './scripts.ts';

/** A free loopback port (the OS picks it; it is released before the service binds it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process logged so far (JSON lines), then stderr. */
  output: () => string;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<void>;
  /** SIGKILL: no shutdown of any kind; resolves once the process is gone. */
  kill: () => Promise<void>;
  /** SIGTERM, the graceful stop; answers the exit code. */
  stop: () => Promise<number | null>;
}

/**
 * Starts the service as `npm start` does (`src/main.ts` in a process of its own, through tsx) on
 * a free port and waits until it listens. The environment is only what `env` says.
 */
export async function startServiceProcess(
  env: Record<string, string>,
  /** Called as soon as the process exists, before it listens (e.g. to arm a kill). */
  onSpawn?: (child: ChildProcess) => void,
): Promise<ServiceProcess> {
  const port = await freePort();
  const run = spawnServiceScript('src/main.ts', {
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    ...env,
  });
  const { child } = run;
  onSpawn?.(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output = () => `${run.stdout()}${run.stderr()}`;
  const deadline = Date.now() + 120_000;
  while (!run.stdout().includes('Pryzm connector listening on')) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the service exited before listening:\n${output()}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not listen within 120 s:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    exited,
    output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      return child.exitCode;
    },
  };
}
