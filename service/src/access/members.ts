import { ok } from '../outcome/result.ts';
import { problem, type Outcome } from '../outcome/problem.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { MemberRow } from '../store/repositories/members.ts';
import { isUniqueViolation } from '../store/repositories/transaction.ts';
import type { ApiKeyRow } from '../store/repositories/api-keys.ts';
import { roleOf, roleWithin, type MintingKey, type Role } from './roles.ts';

type IssuedKey = ApiKeyRow & { secret: string };

/** Where keys are minted, listed and revoked (the workspaces use case). */
export interface KeyIssuer {
  issueApiKey(
    workspaceId: string,
    request: { name: string; role?: Role; expiresAt?: Date | null; memberId?: string | null },
    minter: MintingKey | null,
  ): Promise<Outcome<IssuedKey>>;
  listApiKeys(workspaceId: string, memberId?: string): Promise<ApiKeyRow[]>;
  revokeApiKey(workspaceId: string, id: string, memberId?: string): Promise<Outcome<ApiKeyRow>>;
}

/** A person with a role in one workspace. */
export interface Member {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Members of a workspace and their personal tokens. A token acts with its member's current
 * role, so a change of role applies to every token at once; removing a member revokes what
 * their tokens minted and then removes the tokens.
 */
export class MemberService {
  constructor(
    private readonly repositories: Pick<Repositories, 'members' | 'apiKeys'>,
    private readonly keys: KeyIssuer,
  ) {}

  async list(workspaceId: string): Promise<Member[]> {
    return (await this.repositories.members.list(workspaceId)).map(toMember);
  }

  async get(workspaceId: string, id: string): Promise<Outcome<Member>> {
    const row = await this.repositories.members.find(workspaceId, id);
    return row ? ok(toMember(row)) : memberNotFound(id);
  }

  async add(
    workspaceId: string,
    input: { email: string; name: string; role: Role },
    callerRole: Role | null,
  ): Promise<Outcome<Member>> {
    const above = aboveCaller(input.role, callerRole);
    if (above) return above;
    try {
      return ok(toMember(await this.repositories.members.create({ workspaceId, ...input })));
    } catch (error) {
      if (isUniqueViolation(error)) {
        return problem('conflict', 'member_exists', `${input.email} is already a member`);
      }
      throw error;
    }
  }

  async update(
    workspaceId: string,
    id: string,
    change: { name?: string; role?: Role },
    callerRole: Role | null,
  ): Promise<Outcome<Member>> {
    if (change.role) {
      const above = aboveCaller(change.role, callerRole);
      if (above) return above;
    }
    const row = await this.repositories.members.update(workspaceId, id, change);
    return row ? ok(toMember(row)) : memberNotFound(id);
  }

  async remove(workspaceId: string, id: string): Promise<Outcome<Member>> {
    const row = await this.repositories.members.find(workspaceId, id);
    if (!row) return memberNotFound(id);
    // Keys a token minted carry no member id: revoke them through the lineage first.
    for (const token of await this.repositories.apiKeys.list(workspaceId, id)) {
      if (!token.revokedAt) await this.repositories.apiKeys.revoke(workspaceId, token.id);
    }
    await this.repositories.members.remove(workspaceId, id);
    return ok(toMember(row));
  }

  async issueToken(
    workspaceId: string,
    memberId: string,
    input: { name: string; expiresAt?: Date | null },
    minter: MintingKey | null,
  ): Promise<Outcome<IssuedKey>> {
    const member = await this.repositories.members.find(workspaceId, memberId);
    if (!member) return memberNotFound(memberId);
    return this.keys.issueApiKey(
      workspaceId,
      { name: input.name, role: roleOf(member.role), expiresAt: input.expiresAt, memberId },
      minter,
    );
  }

  async listTokens(workspaceId: string, memberId: string): Promise<Outcome<ApiKeyRow[]>> {
    const member = await this.repositories.members.find(workspaceId, memberId);
    if (!member) return memberNotFound(memberId);
    return ok(await this.keys.listApiKeys(workspaceId, memberId));
  }

  revokeToken(workspaceId: string, memberId: string, tokenId: string): Promise<Outcome<ApiKeyRow>> {
    return this.keys.revokeApiKey(workspaceId, tokenId, memberId);
  }
}

function toMember(row: MemberRow): Member {
  return { ...row, role: roleOf(row.role) };
}

function memberNotFound(id: string) {
  return problem('not_found', 'member_not_found', `No member ${id}`);
}

function aboveCaller(role: Role, callerRole: Role | null) {
  if (callerRole === null || roleWithin(role, callerRole)) return null;
  return problem('forbidden', 'role_above_caller', `A ${callerRole} cannot grant the ${role} role`);
}
