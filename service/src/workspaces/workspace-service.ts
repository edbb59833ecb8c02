import { lesserRole, roleOf, roleWithin, type MintingKey, type Role } from '../access/roles.ts';
import { secretsEqual, sha256, generateApiKeySecret } from '../crypto/api-key-secrets.ts';
import { BUILT_IN_RECORD_TYPES } from '../mapping/record-types.ts';
import { problem, type Outcome } from '../outcome/problem.ts';
import { ok } from '../outcome/result.ts';
import type { ApiKeyRow } from '../store/repositories/api-keys.ts';
import type { Repositories } from '../store/repositories/index.ts';
import { isUniqueViolation } from '../store/repositories/transaction.ts';
import type { WorkspaceRow } from '../store/repositories/workspaces.ts';

/** A workspace: the unit of isolation; every record, connection and key belongs to one. */
export type Workspace = WorkspaceRow;

/** A workspace API key as anyone may see it: its secret is never stored, only its hash. */
export type ApiKey = ApiKeyRow;

export interface IssuedApiKey extends ApiKey {
  /** Shown once, at creation; only its hash is stored. */
  secret: string;
}

/**
 * Who a bearer token is: the operator (admin token) or a workspace's API key with the role it
 * acts with (a member's personal token acts with the member's current role).
 */
export type Caller = { kind: 'admin' } | { kind: 'workspace'; apiKey: ApiKey; role: Role };

export interface NewKeyRequest {
  name: string;
  role?: Role;
  expiresAt?: Date | null;
  memberId?: string | null;
}

/** `lastUsedAt` is written at most this often per key, so reads stay reads. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Workspaces and their API keys. A new workspace gets the built-in record types and one key. */
export class WorkspaceService {
  constructor(
    private readonly repositories: Pick<Repositories, 'workspaces' | 'apiKeys'>,
    private readonly adminToken?: string,
  ) {}

  async create(input: {
    name: string;
    slug: string;
  }): Promise<Outcome<{ workspace: Workspace; apiKey: IssuedApiKey }>> {
    const key = generateApiKeySecret();
    try {
      const created = await this.repositories.workspaces.createWithKey(
        input,
        BUILT_IN_RECORD_TYPES,
        { name: 'Default key', prefix: key.prefix, secretHash: key.secretHash },
      );
      return ok({
        workspace: created.workspace,
        apiKey: { ...created.apiKey, secret: key.secret },
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        return problem('conflict', 'slug_taken', `A workspace with slug "${input.slug}" exists`);
      }
      throw error;
    }
  }

  list(): Promise<Workspace[]> {
    return this.repositories.workspaces.list();
  }

  find(id: string): Promise<Workspace | null> {
    return this.repositories.workspaces.findById(id);
  }

  /**
   * The caller a bearer token names: the admin token from the configuration, or an active
   * workspace API key looked up by its SHA-256. Unknown and revoked keys name nobody.
   */
  async authenticate(token: string): Promise<Caller | null> {
    if (this.adminToken && secretsEqual(token, this.adminToken)) return { kind: 'admin' };
    const key = await this.repositories.apiKeys.findActiveByHash(sha256(token));
    if (!key) return null;
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.repositories.apiKeys.touch(key.id);
    }
    const { memberRole, ...apiKey } = key;
    const role = memberRole === null ? roleOf(key.role) : roleOf(memberRole);
    return { kind: 'workspace', apiKey, role };
  }

  /**
   * A new key (or a member's personal token). A key minted by another key never exceeds its
   * role nor outlives it: it expires no later, and revoking the parent revokes it.
   */
  async issueApiKey(
    workspaceId: string,
    request: NewKeyRequest,
    minter: MintingKey | null,
  ): Promise<Outcome<IssuedApiKey>> {
    const role = request.role ?? minter?.role ?? 'admin';
    if (minter && !roleWithin(role, minter.role)) {
      return problem(
        'forbidden',
        'role_above_caller',
        `A ${minter.role} key cannot mint a key with the ${role} role`,
      );
    }
    if (request.expiresAt && request.expiresAt.getTime() <= Date.now()) {
      return problem('invalid', 'expiry_in_past', 'expiresAt must be in the future');
    }
    const expiresAt = earlier(request.expiresAt ?? null, minter?.expiresAt ?? null);
    const key = generateApiKeySecret();
    const row = await this.repositories.apiKeys.create({
      workspaceId,
      name: request.name,
      prefix: key.prefix,
      secretHash: key.secretHash,
      role: minter ? lesserRole(role, minter.role) : role,
      parentKeyId: minter?.id ?? null,
      memberId: request.memberId ?? null,
      expiresAt,
    });
    return ok({ ...row, secret: key.secret });
  }

  /** Workspace keys, or one member's personal tokens. */
  listApiKeys(workspaceId: string, memberId?: string): Promise<ApiKey[]> {
    return this.repositories.apiKeys.list(workspaceId, memberId);
  }

  /** Revokes a key and every key minted from it. With `memberId`, only that member's token. */
  async revokeApiKey(workspaceId: string, id: string, memberId?: string): Promise<Outcome<ApiKey>> {
    const row = await this.repositories.apiKeys.revoke(
      workspaceId,
      id,
      memberId === undefined ? {} : { memberId },
    );
    return row ? ok(row) : problem('not_found', 'api_key_not_found', `No active API key ${id}`);
  }
}

function earlier(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() <= b.getTime() ? a : b;
}
