import {
  createPipelineFromSalesforceStages,
  defaultAccountMapping,
  defaultContactMapping,
  defaultOpportunityMapping,
  fitMappingToDescribe,
  parseSObjectDescribe,
  pullOrder,
  PipelineStagesError,
  type ObjectMapping,
  type PipelineFromStagesOptions,
  type RecordTypeDefinition,
} from '../mapping/index.ts';
import { ok } from '../outcome/result.ts';
import type { Connection } from '../connections/connection.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { MappingRepository, MappingRow } from '../store/repositories/mappings.ts';
import {
  definitionOf,
  type RecordTypeRepository,
  type RecordTypeRow,
} from '../store/repositories/record-types.ts';
import type { ConnectionService } from '../connections/connection-service.ts';
import type { DescribeService } from '../connections/describe-service.ts';
import { MappingValidator, type MappingReport, type ValidateOptions } from './mapping-validator.ts';
import { problem, type Outcome } from '../outcome/problem.ts';
import type { UsageRecorder } from '../salesforce/usage.ts';
import type { RecordTypeService } from '../records/record-type-service.ts';

/** A saved object mapping of a connection, with its last validation. */
export type Mapping = MappingRow;

export interface MappingChange {
  mapping: ObjectMapping;
  enabled?: boolean;
}

const objectKey = (name: string) => name.toLowerCase().replace(/^pryzm__/, '');

/**
 * Object mappings of a connection. Every save is validated against the org's describes; a
 * mapping with errors is not saved and the answer lists every problem. Runs validate again.
 */
export class MappingService {
  private readonly mappings: MappingRepository;
  private readonly recordTypeRows: RecordTypeRepository;
  private readonly validator: MappingValidator;

  constructor(
    repositories: Pick<Repositories, 'mappings' | 'recordTypes'>,
    private readonly connections: ConnectionService,
    private readonly describes: DescribeService,
    private readonly recordTypes: RecordTypeService,
  ) {
    this.mappings = repositories.mappings;
    this.recordTypeRows = repositories.recordTypes;
    this.validator = new MappingValidator(describes);
  }

  async list(workspaceId: string, connectionId: string): Promise<Outcome<MappingRow[]>> {
    const connection = await this.connection(workspaceId, connectionId);
    if (!connection.ok) return connection;
    return ok(await this.mappings.list(connectionId));
  }

  async get(workspaceId: string, connectionId: string, id: string): Promise<Outcome<MappingRow>> {
    const connection = await this.connection(workspaceId, connectionId);
    if (!connection.ok) return connection;
    const row = await this.mappings.find(connectionId, id);
    return row ? ok(row) : mappingNotFound(id);
  }

  /** Checks a mapping without saving it. */
  async check(
    workspaceId: string,
    connectionId: string,
    mapping: ObjectMapping,
    exceptId?: string,
    options: ValidateOptions = {},
  ): Promise<Outcome<MappingReport>> {
    const connection = await this.connection(workspaceId, connectionId, true);
    if (!connection.ok) return connection;
    const siblings = (await this.mappings.list(connectionId))
      .filter((row) => row.id !== exceptId)
      .map((row) => row.mapping);
    const recordTypes = (await this.recordTypeRows.list(workspaceId)).map(definitionOf);
    return this.validator.validate(connection.value, mapping, recordTypes, siblings, options);
  }

  async create(
    workspaceId: string,
    connectionId: string,
    change: MappingChange,
  ): Promise<Outcome<{ row: MappingRow; report: MappingReport }>> {
    // The connection must be this workspace's before anything about it is answered.
    const connection = await this.connection(workspaceId, connectionId);
    if (!connection.ok) return connection;
    const existing = (await this.mappings.list(connectionId)).find(
      (row) =>
        objectKey(row.mapping.salesforceObject) === objectKey(change.mapping.salesforceObject),
    );
    if (existing) {
      return problem(
        'conflict',
        'object_already_mapped',
        `${change.mapping.salesforceObject} is already mapped on this connection`,
        { mappingId: existing.id },
      );
    }
    const report = await this.check(workspaceId, connectionId, change.mapping);
    if (!report.ok) return report;
    if (!report.value.valid) return invalidMapping(report.value);
    const row = await this.mappings.create({
      workspaceId,
      connectionId,
      mapping: { ...change.mapping, id: undefined },
      enabled: change.enabled ?? true,
      validation: report.value,
    });
    return ok({ row, report: report.value });
  }

  async update(
    workspaceId: string,
    connectionId: string,
    id: string,
    edit: (current: ObjectMapping) => ObjectMapping,
    enabled?: boolean,
  ): Promise<Outcome<{ row: MappingRow; report: MappingReport }>> {
    const current = await this.get(workspaceId, connectionId, id);
    if (!current.ok) return current;
    const mapping = edit(current.value.mapping);
    if (objectKey(mapping.salesforceObject) !== objectKey(current.value.mapping.salesforceObject)) {
      return problem(
        'invalid',
        'object_change',
        'A mapping keeps its Salesforce object; create another mapping',
      );
    }
    const report = await this.check(workspaceId, connectionId, mapping, id);
    if (!report.ok) return report;
    if (!report.value.valid) return invalidMapping(report.value);
    const row = await this.mappings.update(id, {
      mapping,
      enabled: enabled ?? current.value.enabled,
      validation: report.value,
    });
    return ok({ row, report: report.value });
  }

  async delete(
    workspaceId: string,
    connectionId: string,
    id: string,
  ): Promise<Outcome<MappingRow>> {
    const current = await this.get(workspaceId, connectionId, id);
    if (!current.ok) return current;
    await this.mappings.delete(id);
    return ok(current.value);
  }

  /**
   * Re-validates a saved mapping against the org as it is now (describes fetched from Salesforce,
   * not the cache: a field made read-only or a `Pryzm_ID__c` no longer unique since the mapping
   * was saved is caught) and stores the report.
   */
  async revalidate(
    workspaceId: string,
    connectionId: string,
    id: string,
    fetchedNow: Set<string> = new Set(),
    alsoCount?: UsageRecorder,
  ): Promise<Outcome<MappingReport>> {
    const current = await this.get(workspaceId, connectionId, id);
    if (!current.ok) return current;
    const report = await this.check(workspaceId, connectionId, current.value.mapping, id, {
      fetchedNow,
      ...(alsoCount ? { alsoCount } : {}),
    });
    if (report.ok) await this.mappings.saveValidation(id, report.value);
    return report;
  }

  /**
   * The gate in front of every run: each enabled mapping is validated again against describes
   * fetched now (each object once per run); if any has an
   * error the run must not start and the problem says which mapping and why. On success the
   * mappings come back in pull order (parents first).
   */
  async prepareRun(
    workspaceId: string,
    connectionId: string,
    /** Also counts the describes it makes (the run's job counts them as its own calls). */
    alsoCount?: UsageRecorder,
  ): Promise<Outcome<ObjectMapping[]>> {
    const list = await this.list(workspaceId, connectionId);
    if (!list.ok) return list;
    const enabled = list.value.filter((row) => row.enabled);
    if (enabled.length === 0) {
      return problem('conflict', 'no_mappings', 'The connection has no enabled mappings to run');
    }
    const reports: MappingReport[] = [];
    // One fresh describe per object for the whole run, shared by every mapping's check.
    const fetchedNow = new Set<string>();
    for (const row of enabled) {
      const report = await this.revalidate(
        workspaceId,
        connectionId,
        row.id,
        fetchedNow,
        alsoCount,
      );
      if (!report.ok) return report;
      reports.push(report.value);
    }
    const invalid = reports.filter((report) => !report.valid);
    if (invalid.length > 0) {
      const first = invalid[0] as MappingReport;
      const reason = first.problems.find((p) => p.severity === 'error')?.message ?? '';
      return problem(
        'unprocessable',
        'invalid_mapping',
        `The run cannot start: the ${first.salesforceObject} mapping is invalid (${reason})`,
        { reports: invalid },
      );
    }
    return ok(pullOrder(enabled.map((row) => row.mapping)));
  }

  /**
   * The default mappings fitted to this org: Account → Organization, Contact → Person and,
   * from the Opportunity stages, Opportunity → a pipeline (created if the workspace lacks it).
   */
  async proposeDefaults(
    workspaceId: string,
    connectionId: string,
    pipeline: PipelineFromStagesOptions = {},
  ): Promise<Outcome<{ mappings: ObjectMapping[]; pipeline: RecordTypeDefinition | null }>> {
    const connection = await this.connection(workspaceId, connectionId, true);
    if (!connection.ok) return connection;
    const fitted: ObjectMapping[] = [];
    let pipelineType: RecordTypeDefinition | null = null;
    const candidates: (() => Promise<Outcome<ObjectMapping | null>>)[] = [
      () => this.fit(connection.value, defaultAccountMapping()),
      () => this.fit(connection.value, defaultContactMapping()),
      async () => {
        const opportunity = await this.describes.object(connection.value, 'Opportunity');
        if (!opportunity.ok)
          return opportunity.error.code === 'unknown_object' ? ok(null) : opportunity;
        const existing = await this.recordTypeRows.findByKey(workspaceId, pipeline.key ?? 'deal');
        try {
          pipelineType = existing
            ? definitionOf(existing)
            : createPipelineFromSalesforceStages(
                parseSObjectDescribe(opportunity.value.describe),
                pipeline,
              );
        } catch (error) {
          if (error instanceof PipelineStagesError) return ok(null);
          throw error;
        }
        return this.fit(connection.value, defaultOpportunityMapping(pipelineType));
      },
    ];
    for (const candidate of candidates) {
      const mapping = await candidate();
      if (!mapping.ok) return mapping;
      if (mapping.value) fitted.push(mapping.value);
    }
    return ok({ mappings: fitted, pipeline: pipelineType });
  }

  /** Saves the default mappings (and the pipeline record type) for objects not mapped yet. */
  async saveDefaults(
    workspaceId: string,
    connectionId: string,
    pipeline: PipelineFromStagesOptions = {},
  ): Promise<
    Outcome<{ saved: MappingRow[]; skipped: { salesforceObject: string; reason: string }[] }>
  > {
    const proposal = await this.proposeDefaults(workspaceId, connectionId, pipeline);
    if (!proposal.ok) return proposal;
    const pipelineType = proposal.value.pipeline;
    if (pipelineType && !(await this.recordTypeRows.findByKey(workspaceId, pipelineType.key))) {
      const created = await this.recordTypes.create(workspaceId, pipelineType);
      if (!created.ok) return created;
    }
    const saved: MappingRow[] = [];
    const skipped: { salesforceObject: string; reason: string }[] = [];
    for (const mapping of proposal.value.mappings) {
      const result = await this.create(workspaceId, connectionId, { mapping });
      if (result.ok) saved.push(result.value.row);
      else
        skipped.push({ salesforceObject: mapping.salesforceObject, reason: result.error.message });
    }
    return ok({ saved, skipped });
  }

  /** A pipeline record type whose stages are the org's Opportunity StageName values. */
  async createPipelineFromStages(
    workspaceId: string,
    connectionId: string,
    options: PipelineFromStagesOptions,
  ): Promise<Outcome<RecordTypeRow>> {
    const connection = await this.connection(workspaceId, connectionId, true);
    if (!connection.ok) return connection;
    const opportunity = await this.describes.object(connection.value, 'Opportunity');
    if (!opportunity.ok) return opportunity;
    let definition: RecordTypeDefinition;
    try {
      definition = createPipelineFromSalesforceStages(
        parseSObjectDescribe(opportunity.value.describe),
        options,
      );
    } catch (error) {
      if (error instanceof PipelineStagesError) {
        return problem('unprocessable', 'no_stages', error.message);
      }
      throw error;
    }
    return this.recordTypes.create(workspaceId, definition);
  }

  private async fit(
    connection: Connection,
    mapping: ObjectMapping,
  ): Promise<Outcome<ObjectMapping | null>> {
    const describe = await this.describes.object(connection, mapping.salesforceObject);
    if (!describe.ok) return describe.error.code === 'unknown_object' ? ok(null) : describe;
    const parents = new Map<string, ReturnType<typeof parseSObjectDescribe>>();
    for (const name of ['User', 'Account']) {
      const parent = await this.describes.object(connection, name);
      if (parent.ok) parents.set(name.toLowerCase(), parseSObjectDescribe(parent.value.describe));
    }
    return ok(
      fitMappingToDescribe(mapping, parseSObjectDescribe(describe.value.describe), (name) =>
        parents.get(name.toLowerCase()),
      ),
    );
  }

  private async connection(
    workspaceId: string,
    connectionId: string,
    mustBeActive = false,
  ): Promise<Outcome<Connection>> {
    const connection = await this.connections.get(workspaceId, connectionId);
    if (!connection.ok) return connection;
    if (mustBeActive && connection.value.status !== 'active') {
      return problem(
        'conflict',
        connection.value.status === 'needs_reauthorization'
          ? 'needs_reauthorization'
          : 'connection_not_active',
        `The connection is ${connection.value.status.replace(/_/g, ' ')}; mappings are checked against a live org`,
      );
    }
    return connection;
  }
}

function mappingNotFound(id: string) {
  return problem('not_found', 'mapping_not_found', `No mapping ${id}`);
}

function invalidMapping(report: MappingReport) {
  const errors = report.problems.filter((p) => p.severity === 'error');
  return problem(
    'unprocessable',
    'invalid_mapping',
    `The ${report.salesforceObject} mapping has ${errors.length} problem${errors.length === 1 ? '' : 's'}: ${errors.map((p) => p.message).join('; ')}`,
    { report },
  );
}
