import { BUILT_IN_RECORD_TYPES } from '../mapping/record-types.ts';
import { ok } from '../result.ts';
import type { PrismaClient } from '../store/database.ts';
import { ApiKeyRepository, type ApiKeyRow } from '../store/repositories/api-keys.ts';
import { RecordTypeRepository } from '../store/repositories/record-types.ts';
import { isUniqueViolation } from '../store/repositories/transaction.ts';
import { WorkspaceRepository, type WorkspaceRow } from '../store/repositories/workspaces.ts';
import { generateApiKeySecret } from './api-key-secrets.ts';
import { problem, type Outcome } from './problem.ts';

export interface IssuedApiKey extends ApiKeyRow {
  /** Shown once, at creation; only its hash is stored. */
  secret: string;
}

/** Workspaces and their API keys. A new workspace gets the built-in record types and one key. */
export class WorkspaceService {
  private readonly workspaces: WorkspaceRepository;
  private readonly apiKeys: ApiKeyRepository;
  private readonly recordTypes: RecordTypeRepository;

  constructor(private readonly prisma: PrismaClient) {
    this.workspaces = new WorkspaceRepository(prisma);
    this.apiKeys = new ApiKeyRepository(prisma);
    this.recordTypes = new RecordTypeRepository(prisma);
  }

  async create(input: {
    name: string;
    slug: string;
  }): Promise<Outcome<{ workspace: WorkspaceRow; apiKey: IssuedApiKey }>> {
    const key = generateApiKeySecret();
    try {
      const result = await this.prisma.$transaction(async (tx) => {
        const workspace = await tx.workspace.create({ data: input });
        for (const definition of BUILT_IN_RECORD_TYPES) {
          await this.recordTypes.create(workspace.id, definition, true, tx);
        }
        const apiKey = await tx.apiKey.create({
          data: {
            workspaceId: workspace.id,
            name: 'Default key',
            prefix: key.prefix,
            secretHash: key.secretHash,
          },
          select: {
            id: true,
            workspaceId: true,
            name: true,
            prefix: true,
            createdAt: true,
            lastUsedAt: true,
            revokedAt: true,
          },
        });
        return { workspace, apiKey: { ...apiKey, secret: key.secret } };
      });
      return ok(result);
    } catch (error) {
      if (isUniqueViolation(error)) {
        return problem('conflict', 'slug_taken', `A workspace with slug "${input.slug}" exists`);
      }
      throw error;
    }
  }

  list(): Promise<WorkspaceRow[]> {
    return this.workspaces.list();
  }

  find(id: string): Promise<WorkspaceRow | null> {
    return this.workspaces.findById(id);
  }

  async issueApiKey(workspaceId: string, name: string): Promise<IssuedApiKey> {
    const key = generateApiKeySecret();
    const row = await this.apiKeys.create({
      workspaceId,
      name,
      prefix: key.prefix,
      secretHash: key.secretHash,
    });
    return { ...row, secret: key.secret };
  }

  listApiKeys(workspaceId: string): Promise<ApiKeyRow[]> {
    return this.apiKeys.list(workspaceId);
  }

  async revokeApiKey(workspaceId: string, id: string): Promise<Outcome<ApiKeyRow>> {
    const row = await this.apiKeys.revoke(workspaceId, id);
    return row ? ok(row) : problem('not_found', 'api_key_not_found', `No active API key ${id}`);
  }
}
