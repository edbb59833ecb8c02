import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from 'jsforce';

/** `npm run localorg`'s entry point, started as a process on fixed ports as a user starts it. */

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(here, '../../../node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'localorg-cli-'));
let child: ChildProcess;
let output = '';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A base port with every port the CLI opens (base … base + 13) free. */
async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 400) * 100;
    const offsets = [0, 1, 2, 10, 11, 12, 13];
    const free = await Promise.all(offsets.map((o) => portFree(base + o)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free ports');
}

let base = 0;

/** An admin's Flow sending an outbound message, for `--metadata-dir`. */
function writeAdminMetadata(root: string): void {
  mkdirSync(join(root, 'flows'), { recursive: true });
  mkdirSync(join(root, 'workflows'), { recursive: true });
  writeFileSync(
    join(root, 'workflows', 'Account.workflow-meta.xml'),
    '<Workflow><outboundMessages><fullName>To_Pryzm</fullName><apiVersion>63.0</apiVersion>' +
      '<endpointUrl>http://127.0.0.1:9/outbound-messages/c/s</endpointUrl><fields>Id</fields>' +
      '<includeSessionId>false</includeSessionId><integrationUser>admin@example.com</integrationUser>' +
      '<name>To Pryzm</name><protected>false</protected></outboundMessages></Workflow>',
  );
  writeFileSync(
    join(root, 'flows', 'Account_To_Pryzm.flow-meta.xml'),
    '<Flow><label>Account to Pryzm</label><processType>AutoLaunchedFlow</processType>' +
      '<status>Active</status><actionCalls><name>Send</name><actionName>Account.To_Pryzm</actionName>' +
      '<actionType>outboundMessage</actionType></actionCalls><start><object>Account</object>' +
      '<triggerType>RecordAfterSave</triggerType><recordTriggerType>Update</recordTriggerType>' +
      '<connector><targetReference>Send</targetReference></connector></start></Flow>',
  );
}

beforeAll(async () => {
  base = await freeBase();
  writeAdminMetadata(join(dir, 'automation'));
  child = spawn(
    process.execPath,
    [
      tsx,
      join(here, '../src/cli.ts'),
      '--port',
      String(base),
      '--certs-dir',
      join(dir, 'certs'),
      '--seed',
      'accounts=20,contacts=30,opportunities=10',
      '--metadata-dir',
      'automation',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (
        output.includes('Connected app:') &&
        /Org pryzm-demo--uat[\s\S]*Connected app:/.test(output)
      ) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`local org exited with ${String(code)}: ${output}`));
    });
  });
}, 60_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run localorg', () => {
  it('prints the login and instance URLs, credentials and the CA path, on fixed ports', () => {
    expect(output).toContain('Pryzm local org is running.');
    expect(output).toContain(`Login (production): http://127.0.0.1:${base}`);
    expect(output).toContain(`Login (sandbox):    http://127.0.0.1:${base + 1}`);
    expect(output).toContain(`Instance URL:  http://127.0.0.1:${base + 10}`);
    expect(output).toContain(`Instance URL:  http://127.0.0.1:${base + 11}`);
    expect(output).toMatch(
      /User: +admin@pryzm-demo\.example\.com +password \S+ +security token \S+/,
    );
    expect(output).toMatch(/Connected app: client_id \S+ +client_secret \S+/);
    const ca = /CA certificate: +(\S+)/.exec(output)?.[1] ?? '';
    expect(existsSync(ca)).toBe(true);
    expect(output).toMatch(/Seeded pryzm-demo: \{"accounts":20,"contacts":30,"opportunities":10/);
    expect(output).toContain('Loaded into pryzm-demo: Account_To_Pryzm');
  });

  it('logs jsforce in with the printed credentials and serves the seeded data', async () => {
    const user =
      /User: +(admin@pryzm-demo\.example\.com) +password (\S+) +security token (\S+)/.exec(output);
    const conn = new Connection({ loginUrl: `http://127.0.0.1:${base}`, version: '62.0' });
    const info = await conn.login(user?.[1] ?? '', `${user?.[2] ?? ''}${user?.[3] ?? ''}`);
    expect(conn.instanceUrl).toBe(`http://127.0.0.1:${base + 10}`);
    expect(info.organizationId).toMatch(/^00D/);
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(20);
    expect(output).toContain('Every URL also answers https:// on the same port.');
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
