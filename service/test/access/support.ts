import type { Role } from '../../src/access/roles.ts';
import type { ApiClient } from '../support/api.ts';

let sequence = 0;

/** Adds a member with `role` through the API and mints them a personal token. */
export async function addMemberWithToken(
  client: ApiClient,
  workspaceId: string,
  role: Role,
  expiresAt?: string,
): Promise<{ memberId: string; tokenId: string; secret: string }> {
  sequence += 1;
  const member = await client.post<{ id: string }>(`/api/workspaces/${workspaceId}/members`, {
    email: `${role}-${sequence}@example.com`,
    name: `${role} ${sequence}`,
    role,
  });
  if (member.status !== 201) throw new Error(`member: ${JSON.stringify(member.body)}`);
  const token = await client.post<{ id: string; secret: string }>(
    `/api/workspaces/${workspaceId}/members/${member.body.id}/tokens`,
    { name: 'laptop', ...(expiresAt ? { expiresAt } : {}) },
  );
  if (token.status !== 201) throw new Error(`token: ${JSON.stringify(token.body)}`);
  return { memberId: member.body.id, tokenId: token.body.id, secret: token.body.secret };
}
