import type { AttributeDefinition } from '../mapping/attribute-types.ts';
import {
  BUILT_IN_RECORD_TYPES,
  recordTypeDefinitionSchema,
  type RecordTypeDefinition,
} from '../mapping/record-types.ts';
import { ok } from '../outcome/result.ts';
import type { Repositories } from '../store/repositories/index.ts';
import {
  definitionOf,
  type RecordTypeRepository,
  type RecordTypeRow,
} from '../store/repositories/record-types.ts';
import { isUniqueViolation } from '../store/repositories/transaction.ts';
import { problem, type Outcome } from '../outcome/problem.ts';

/** A record type of a workspace: its key, names, kind and attributes. */
export type RecordType = RecordTypeRow;

export interface RecordTypeChange {
  name?: string;
  pluralName?: string;
  attributes?: AttributeDefinition[];
}

/** Record types of a workspace: the built-in Organization and Person, pipelines and custom types. */
export class RecordTypeService {
  private readonly repository: RecordTypeRepository;

  constructor(repositories: Pick<Repositories, 'recordTypes'>) {
    this.repository = repositories.recordTypes;
  }

  list(workspaceId: string): Promise<RecordTypeRow[]> {
    return this.repository.list(workspaceId);
  }

  async get(workspaceId: string, key: string): Promise<Outcome<RecordTypeRow>> {
    const row = await this.repository.findByKey(workspaceId, key);
    return row ? ok(row) : notFound(key);
  }

  async create(
    workspaceId: string,
    definition: RecordTypeDefinition,
  ): Promise<Outcome<RecordTypeRow>> {
    if (definition.kind === 'organization' || definition.kind === 'person') {
      return problem(
        'invalid',
        'built_in_kind',
        `Every workspace already has the built-in ${definition.kind} record type`,
      );
    }
    const references = await this.checkReferences(workspaceId, definition);
    if (!references.ok) return references;
    try {
      return ok(await this.repository.create(workspaceId, definition));
    } catch (error) {
      if (isUniqueViolation(error)) {
        return problem(
          'conflict',
          'record_type_exists',
          `A record type with key "${definition.key}" exists`,
        );
      }
      throw error;
    }
  }

  /**
   * Renames, or replaces the attribute list. An attribute keeps its type once it exists (records
   * hold values of that type) and built-in attributes stay, as the default mappings use them.
   */
  async update(
    workspaceId: string,
    key: string,
    change: RecordTypeChange,
  ): Promise<Outcome<RecordTypeRow>> {
    const current = await this.repository.findByKey(workspaceId, key);
    if (!current) return notFound(key);
    const next = { ...definitionOf(current), ...change };
    const parsed = recordTypeDefinitionSchema.safeParse(next);
    if (!parsed.success) {
      return problem('invalid', 'invalid_record_type', parsed.error.issues[0]?.message ?? '', {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    for (const attribute of current.attributes) {
      const replacement = parsed.data.attributes.find((a) => a.key === attribute.key);
      if (replacement && replacement.type !== attribute.type) {
        return problem(
          'conflict',
          'attribute_type_change',
          `Attribute "${attribute.key}" is ${attribute.type}; its type cannot change`,
        );
      }
    }
    const builtIn = BUILT_IN_RECORD_TYPES.find((type) => type.key === key && current.builtIn);
    const missing = builtIn?.attributes.find(
      (attribute) => !parsed.data.attributes.some((a) => a.key === attribute.key),
    );
    if (missing) {
      return problem(
        'conflict',
        'built_in_attribute',
        `Attribute "${missing.key}" is built in and cannot be removed`,
      );
    }
    const references = await this.checkReferences(workspaceId, parsed.data);
    if (!references.ok) return references;
    return ok(await this.repository.update(current.id, parsed.data));
  }

  async delete(workspaceId: string, key: string): Promise<Outcome<RecordTypeRow>> {
    const current = await this.repository.findByKey(workspaceId, key);
    if (!current) return notFound(key);
    if (current.builtIn) {
      return problem('conflict', 'built_in_record_type', `"${key}" is built in`);
    }
    if ((await this.repository.countRecords(current.id)) > 0) {
      return problem(
        'conflict',
        'record_type_in_use',
        `"${key}" still has records; delete them first`,
      );
    }
    await this.repository.delete(current.id);
    return ok(current);
  }

  /** Reference attributes must point at a record type of the workspace (or the type itself). */
  private async checkReferences(
    workspaceId: string,
    definition: RecordTypeDefinition,
  ): Promise<Outcome<void>> {
    const known = new Set((await this.repository.list(workspaceId)).map((row) => row.key));
    known.add(definition.key);
    for (const attribute of definition.attributes) {
      if (attribute.type === 'reference' && !known.has(attribute.targetRecordType)) {
        return problem(
          'invalid',
          'unknown_target_record_type',
          `Attribute "${attribute.key}" references record type "${attribute.targetRecordType}", which does not exist`,
        );
      }
    }
    return ok(undefined);
  }
}

function notFound(key: string) {
  return problem('not_found', 'record_type_not_found', `No record type "${key}"`);
}
