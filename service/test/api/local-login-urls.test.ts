import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import type { ApiClient } from '../support/api.ts';
import { passwordConnectionRequest, testConnectedApp } from '../support/localorg.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';

type ErrorBody = { error?: { code: string; message: string } };

const { app } = testConnectedApp();
const MARKER = 'UPSTREAM-BODY-7f3a';

/** Some other loopback server (a database, a dev tool): it must never see a credential. */
async function startBystander(): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url} ${body}`);
      res.writeHead(500, { 'content-type': 'text/html' }).end(`<h1>${MARKER}</h1>`);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, requests };
}

/**
 * Under the local org's defaults (`npm start`), a `custom` login URL on loopback is accepted only
 * on the local org's own ports, over http(s); credentials never go anywhere else.
 */
describe('custom login URLs beside the local org', () => {
  let stack: ServiceWithTwoOrgs | undefined;
  let local: LocalOrg;
  let ws: { id: string; client: ApiClient };
  let bystander: Awaited<ReturnType<typeof startBystander>>;

  beforeAll(async () => {
    bystander = await startBystander();
    stack = await startServiceWithTwoOrgs(app, 'sqlite', 'Login URLs');
    ({ local, ws } = stack);
  });
  afterAll(async () => {
    await stack?.close();
    await new Promise((done) => bystander?.server.close(done));
  });

  const connections = () => `/api/workspaces/${ws.id}/connections`;
  const listed = async () =>
    (await ws.client.get<{ data: unknown[] }>(connections())).body.data.length;

  function passwordAt(loginUrl: string) {
    return passwordConnectionRequest(app, local.orgs[0]!.users[1]!, {
      environment: 'custom',
      loginUrl,
    });
  }

  it('should refuse another loopback port before sending it any credential', async () => {
    const before = await listed();
    const response = await ws.client.post<ErrorBody>(connections(), passwordAt(bystander.url));
    expect(response.status).toBe(400);
    expect(response.body.error?.code).toBe('invalid_login_url');
    expect(JSON.stringify(response.body)).not.toContain(MARKER);
    expect(bystander.requests).toEqual([]);
    expect(await listed()).toBe(before);
  });

  it.each([
    ['gopher', (port: string) => `gopher://127.0.0.1:${port}/_x`],
    ['ftp', (port: string) => `ftp://127.0.0.1:${port}`],
    ['file', () => 'file:///etc/passwd'],
  ])('should refuse a %s URL with 400 and store nothing', async (_scheme, make) => {
    const port = new URL(local.orgs[0]!.instanceUrl).port;
    const before = await listed();
    const webServer = { authFlow: 'web_server', environment: 'custom', loginUrl: make(port) };
    for (const body of [passwordAt(make(port)), webServer]) {
      const response = await ws.client.post<ErrorBody>(connections(), body);
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(response.body.error?.code).toBe('invalid_login_url');
    }
    expect(await listed()).toBe(before);
  });

  it('should accept the local org’s own My Domain, over http or https', async () => {
    const instance = new URL(local.orgs[0]!.instanceUrl);
    const started = await ws.client.post<{ connection: { loginUrl: string } }>(connections(), {
      authFlow: 'web_server',
      environment: 'custom',
      loginUrl: `https://localhost:${instance.port}`,
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body.connection.loginUrl).toBe(`https://localhost:${instance.port}`);
  });
});
