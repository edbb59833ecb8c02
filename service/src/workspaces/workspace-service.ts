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

/** Who a bearer token is: the operator (admin token) or a workspace's API key. */
export type Caller = { kind: 'admin' } | { kind: 'workspace'; apiKey: ApiKey };

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
    return { kind: 'workspace', apiKey: key };
  }

  async issueApiKey(workspaceId: string, name: string): Promise<IssuedApiKey> {
    const key = generateApiKeySecret();
    const row = await this.repositories.apiKeys.create({
      workspaceId,
      name,
      prefix: key.prefix,
      secretHash: key.secretHash,
    });
    return { ...row, secret: key.secret };
  }

  listApiKeys(workspaceId: string): Promise<ApiKey[]> {
    return this.repositories.apiKeys.list(workspaceId);
  }

  async revokeApiKey(workspaceId: string, id: string): Promise<Outcome<ApiKey>> {
    const row = await this.repositories.apiKeys.revoke(workspaceId, id);
    return row ? ok(row) : problem('not_found', 'api_key_not_found', `No active API key ${id}`);
  }
}
