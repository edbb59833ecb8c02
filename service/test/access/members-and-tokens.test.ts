import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorkspace, testSecurityEnv, type ApiClient } from '../support/api.ts';
import { freshDatabaseUrl, PROVIDERS } from '../support/databases.ts';
import { bootService } from '../support/service.ts';
import { typedClient } from '../support/typed-client.ts';
import { addMemberWithToken } from './support.ts';

interface Key {
  id: string;
  secret: string;
  role: string;
  parentKeyId: string | null;
  memberId: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

describe.each(PROVIDERS)('members, personal tokens and key lineage on %s', (provider) => {
  let service: Awaited<ReturnType<typeof bootService>>;
  let workspaceId: string;
  let admin: ApiClient;
  const security = testSecurityEnv();
  const ws = (path: string) => `/api/workspaces/${workspaceId}${path}`;
  const as = (secret: string) => apiClient(service.url, secret);

  beforeAll(async () => {
    service = await bootService(await freshDatabaseUrl(provider), security.env);
    const created = await createWorkspace(service.url, security.adminToken, 'Members');
    workspaceId = created.id;
    admin = created.client;
  });
  afterAll(async () => {
    await service.stop();
  });

  it('makes the first key of a workspace an Admin key, and keys from before roles Admins', async () => {
    const keys = await admin.get<{ data: Key[] }>(ws('/api-keys'));
    expect(keys.body.data.map((key) => key.role)).toEqual(['admin']);

    // A key written before roles existed has no role column value of its own: the migration's
    // default makes it an Admin, so nothing that worked before breaks.
    const secret = `pryzm_live_${randomUUID()}`;
    const { sha256 } = await import('../../src/crypto/api-key-secrets.ts');
    const slots = provider === 'sqlite' ? '?, ?, ?, ?, ?' : '$1, $2, $3, $4, $5';
    await service.database.prisma.$executeRawUnsafe(
      `INSERT INTO "ApiKey" ("id", "workspaceId", "name", "prefix", "secretHash") VALUES (${slots})`,
      randomUUID(),
      workspaceId,
      'from before roles',
      secret.slice(0, 17),
      sha256(secret),
    );
    const me = await as(secret).get('/api/session');
    expect(me.body).toMatchObject({ kind: 'workspace', role: 'admin' });
  });

  it('gives a member token its member’s role, shows the secret once and stores only a hash', async () => {
    const editor = await addMemberWithToken(admin, workspaceId, 'editor');
    const client = as(editor.secret);

    // Editors push (write records) but do not manage integrations.
    const record = await client.post(ws('/record-types/person/records'), {
      values: { full_name: 'Ada Editor' },
    });
    expect(record.status).toBe(201);
    const connect = await client.post(ws('/connections'), {});
    expect(connect.status).toBe(403);
    expect(connect.body).toMatchObject({
      error: { code: 'forbidden', requiredPermission: 'integrations:manage', role: 'editor' },
    });

    const listed = await admin.get<{ data: Key[] }>(ws(`/members/${editor.memberId}/tokens`));
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0]).not.toHaveProperty('secret');
    expect(listed.body.data[0]).toMatchObject({ memberId: editor.memberId, role: 'editor' });
    expect(listed.body.data[0]!.lastUsedAt).not.toBeNull();
    const stored = await service.database.prisma.apiKey.findUniqueOrThrow({
      where: { id: editor.tokenId },
    });
    expect(JSON.stringify(stored)).not.toContain(editor.secret);
  });

  it('applies a member’s new role to their tokens at once, and removes them with the member', async () => {
    const viewer = await addMemberWithToken(admin, workspaceId, 'viewer');
    const client = as(viewer.secret);
    const denied = await client.post(ws('/record-types/person/records'), {
      values: { full_name: 'Not yet' },
    });
    expect(denied.status).toBe(403);

    const promoted = await admin.patch(ws(`/members/${viewer.memberId}`), { role: 'editor' });
    expect(promoted.body).toMatchObject({ role: 'editor' });
    const allowed = await client.post(ws('/record-types/person/records'), {
      values: { full_name: 'Now allowed' },
    });
    expect(allowed.status).toBe(201);

    const removed = await admin.delete(ws(`/members/${viewer.memberId}`));
    expect(removed.status).toBe(200);
    expect((await client.get(ws(''))).status).toBe(401);
    expect((await admin.get(ws(`/members/${viewer.memberId}/tokens`))).status).toBe(404);
  });

  it('revokes a personal token at once, only through its own member', async () => {
    const one = await addMemberWithToken(admin, workspaceId, 'viewer');
    const other = await addMemberWithToken(admin, workspaceId, 'viewer');
    // Another member's path does not reach the token.
    const wrong = await admin.delete(ws(`/members/${other.memberId}/tokens/${one.tokenId}`));
    expect(wrong.status).toBe(404);
    expect((await as(one.secret).get(ws(''))).status).toBe(200);

    const revoked = await admin.delete<Key>(ws(`/members/${one.memberId}/tokens/${one.tokenId}`));
    expect(revoked.body).toMatchObject({ id: one.tokenId });
    expect(revoked.body.revokedAt).not.toBeNull();
    const after = await as(one.secret).get(ws(''));
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ error: { code: 'invalid_token' } });
  });

  it('refuses a member twice, a role above the caller, and bad input without writing', async () => {
    const before = await service.database.prisma.workspaceMember.count();
    const email = `twice-${randomUUID()}@example.com`;
    expect((await admin.post(ws('/members'), { email, name: 'A', role: 'viewer' })).status).toBe(
      201,
    );
    const again = await admin.post(ws('/members'), { email, name: 'B', role: 'viewer' });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'member_exists' } } });
    for (const body of [
      { email: 'not-an-email', name: 'A', role: 'viewer' },
      { email: 'x@example.com', name: 'A', role: 'owner' },
      { email: 'x@example.com', name: 'A', role: 'viewer', extra: true },
      { email: `${'a'.repeat(300)}@example.com`, name: 'A', role: 'viewer' },
    ]) {
      expect((await admin.post(ws('/members'), body)).status).toBe(400);
    }
    expect(await service.database.prisma.workspaceMember.count()).toBe(before + 1);
  });

  it('keeps a minted key within its parent: no later expiry, revoked with it', async () => {
    const parentExpiry = new Date(Date.now() + 3_600_000);
    const parent = await admin.post<Key>(ws('/api-keys'), {
      name: 'parent',
      expiresAt: parentExpiry.toISOString(),
    });
    expect(parent.status).toBe(201);
    const parentClient = as(parent.body.secret);

    const child = await parentClient.post<Key>(ws('/api-keys'), {
      name: 'child',
      role: 'editor',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(child.status).toBe(201);
    expect(child.body).toMatchObject({ parentKeyId: parent.body.id, role: 'editor' });
    expect(new Date(child.body.expiresAt!).getTime()).toBe(parentExpiry.getTime());

    const sibling = await parentClient.post<Key>(ws('/api-keys'), { name: 'sibling' });
    const grandchild = await as(sibling.body.secret).post<Key>(ws('/api-keys'), { name: 'gc' });
    expect(grandchild.body.parentKeyId).toBe(sibling.body.id);

    const past = await parentClient.post(ws('/api-keys'), {
      name: 'past',
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    expect(past).toMatchObject({ status: 400, body: { error: { code: 'expiry_in_past' } } });

    await admin.delete(ws(`/api-keys/${parent.body.id}`));
    for (const secret of [parent.body.secret, child.body.secret, grandchild.body.secret]) {
      expect((await as(secret).get(ws(''))).status).toBe(401);
    }
  });

  it('refuses a key with a role above the key that mints it', async () => {
    const { WorkspaceService } = await import('../../src/workspaces/workspace-service.ts');
    const { createRepositories } = await import('../../src/store/repositories/index.ts');
    const workspaces = new WorkspaceService(createRepositories(service.database.prisma));
    const outcome = await workspaces.issueApiKey(
      workspaceId,
      { name: 'too high', role: 'admin' },
      { id: randomUUID(), role: 'editor', expiresAt: null },
    );
    expect(outcome).toMatchObject({ ok: false, error: { code: 'role_above_caller' } });
  });

  it('refuses an expired key', async () => {
    const key = await admin.post<Key>(ws('/api-keys'), {
      name: 'short',
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    expect((await as(key.body.secret).get(ws(''))).status).toBe(200);
    await service.database.prisma.apiKey.update({
      where: { id: key.body.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    const expired = await as(key.body.secret).get(ws(''));
    expect(expired).toMatchObject({ status: 401, body: { error: { code: 'invalid_token' } } });
  });

  it('names in GET /api/session the key or personal token the caller sent', async () => {
    const session = (secret?: string) =>
      typedClient(service.url, secret, '/api').ok('get /api/session');
    const key = await admin.post<Key>(ws('/api-keys'), { name: 'console', role: 'viewer' });
    expect(await session(key.body.secret)).toEqual({
      kind: 'workspace',
      via: 'token',
      workspaceId,
      role: 'viewer',
      memberId: null,
      keyId: key.body.id,
      expiresAt: null,
    });
    const editor = await addMemberWithToken(admin, workspaceId, 'editor');
    expect(await session(editor.secret)).toMatchObject({
      memberId: editor.memberId,
      keyId: editor.tokenId,
      role: 'editor',
    });
    // The operator's token is no key of a workspace: the answer has no keyId.
    expect(await session(security.adminToken)).toEqual({ kind: 'operator', via: 'token' });
  });
});
