// The demo workspace `npm start` sets up beside the local org, so a first start shows a working
// connector: a workspace connected to the local org's production org, the default mappings and a
// first pull done. Everything goes through the service's own HTTP API with the operator's admin
// token, as a person following README "A first connection" would, and every step first looks at
// what is there: a second start reuses the workspace, its connection and mappings, and pulls only
// when no pull has succeeded yet.

export const DEMO_WORKSPACE_NAME = 'Demo';
const FINISHED = new Set(['succeeded', 'partially_succeeded', 'failed', 'cancelled']);

/**
 * Makes sure the demo workspace exists, is connected (username-password flow, no browser) and
 * has mappings and a first pull. `login` is the local org's connected app and integration user.
 * Answers what it found or did, for the start banner.
 */
export async function ensureDemoWorkspace({
  serviceUrl,
  adminToken,
  login,
  pullTimeoutMs = 300_000,
}) {
  const api = apiClient(serviceUrl, adminToken);
  const done = [];

  const workspaces = await api('GET', '/api/workspaces?limit=100');
  let workspace = workspaces.data.find((w) => w.name === DEMO_WORKSPACE_NAME);
  if (!workspace) {
    workspace = await api('POST', '/api/workspaces', { name: DEMO_WORKSPACE_NAME });
    done.push('workspace created');
  }
  const ws = `/api/workspaces/${workspace.id}`;

  const connections = await api('GET', `${ws}/connections`);
  let connection = connections.data.find(
    (c) => c.status === 'active' && c.username === login.username,
  );
  if (!connection) {
    connection = await api('POST', `${ws}/connections`, {
      authFlow: 'password',
      environment: 'production',
      clientId: login.clientId,
      clientSecret: login.clientSecret,
      username: login.username,
      password: login.password,
      securityToken: login.securityToken,
    });
    done.push('connected');
  }
  const c = `${ws}/connections/${connection.id}`;

  let mappings = (await api('GET', `${c}/mappings`)).data;
  if (mappings.length === 0) {
    mappings = (await api('POST', `${c}/mappings/defaults`, {})).saved;
    done.push('default mappings saved');
  }

  // Newest first. A pull a stop interrupted resumes by itself on this start: wait for it rather
  // than queue a second one. Only when none succeeded and none is under way is one queued.
  const pulls = (await api('GET', `${ws}/jobs?connectionId=${connection.id}&kind=pull`)).data;
  let pull = pulls.find(
    (job) => job.status === 'succeeded' || job.status === 'partially_succeeded',
  );
  if (!pull) {
    const underWay = pulls.find((job) => !FINISHED.has(job.status));
    const id = underWay
      ? underWay.id
      : (await api('POST', `${c}/jobs`, { kind: 'pull', mode: 'full' })).id;
    pull = await waitForJob(api, `${ws}/jobs/${id}`, pullTimeoutMs);
    done.push(`${underWay ? 'interrupted first pull resumed' : 'first pull'}: ${pull.status}`);
  }
  const shown = await api('GET', c);
  return {
    workspace: { id: workspace.id, name: workspace.name },
    connection: {
      id: connection.id,
      orgName: shown.orgName,
      username: shown.username,
      status: shown.status,
      realtime: shown.realtime?.state ?? shown.changeSource ?? null,
    },
    mappings: mappings.map((m) => m.salesforceObject),
    pull: { id: pull.id, status: pull.status, counts: pull.counts ?? {} },
    done,
  };
}

async function waitForJob(api, path, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await api('GET', path);
    if (FINISHED.has(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`the first pull did not finish in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function apiClient(serviceUrl, adminToken) {
  return async (method, path, body) => {
    const response = await fetch(`${serviceUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const error = parsed?.error;
      throw new Error(
        `${method} ${path} answered ${response.status}${error ? ` ${error.code}: ${error.message}` : ''}`,
      );
    }
    return parsed;
  };
}

/** One paragraph for the terminal: what the first start set up, or found from a previous one. */
export function describeDemoWorkspace(demo) {
  const records = Object.entries(demo.pull.counts)
    .filter(([, count]) => count > 0)
    .map(([name, count]) => `${count} ${name}`)
    .join(', ');
  return [
    `Demo workspace "${demo.workspace.name}" (${demo.workspace.id})${
      demo.done.length ? `: ${demo.done.join(', ')}` : ': already set up, reused'
    }`,
    `  connection: ${demo.connection.orgName} as ${demo.connection.username} (${demo.connection.status}; real-time: ${demo.connection.realtime ?? 'off'})`,
    `  mappings: ${demo.mappings.join(', ')}`,
    `  first pull: ${demo.pull.status}${records ? ` (${records})` : ''}`,
  ].join('\n');
}
