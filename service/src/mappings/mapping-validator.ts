import {
  parseSObjectDescribe,
  validateMappingSet,
  validateObjectMapping,
  type MappingProblem,
  type MappingSetProblem,
  type ObjectMapping,
  type RecordTypeDefinition,
  type SObjectDescribe,
} from '../mapping/index.ts';
import { ok } from '../outcome/result.ts';
import type { Connection } from '../connections/connection.ts';
import type { DescribeService } from '../connections/describe-service.ts';
import type { Outcome } from '../outcome/problem.ts';
import type { UsageRecorder } from '../salesforce/usage.ts';

/** Every problem of one object mapping: its own and those of the connection's mapping set. */
export interface MappingReport {
  salesforceObject: string;
  valid: boolean;
  problems: (MappingProblem | MappingSetProblem)[];
  checkedAt: string;
}

/** Parent objects a validation may walk into, fetched on demand (a few rounds at most). */
const MAX_DESCRIBE_ROUNDS = 4;

/** Problems that may only mean the cached describe predates a change in Salesforce. */
const STALE_DESCRIBE_CODES = new Set(['unknown_field', 'unknown_object', 'filter_unknown_field']);

export interface ValidateOptions {
  /**
   * Check against the org as it is now: each object's describe is fetched from Salesforce once
   * per set (objects already in the set are read from the cache the set's first fetch filled).
   * Share one set across the mappings of a run so a parent is fetched once, not per mapping.
   */
  fetchedNow?: Set<string>;
  /** Also counts the describe calls made (a sync job counts its preflight's). */
  alsoCount?: UsageRecorder;
}

/**
 * Validates mappings against the org's describes with the mapping core. Describes come from
 * the cache; parent objects the core asks for are fetched, and when the core reports unknown
 * fields against a cached describe the describes are refreshed once and the check repeated
 * (a field added in Salesforce since the cache was filled is then found).
 */
export class MappingValidator {
  constructor(private readonly describes: DescribeService) {}

  async validate(
    connection: Connection,
    mapping: ObjectMapping,
    recordTypes: readonly RecordTypeDefinition[],
    siblings: readonly ObjectMapping[],
    options: ValidateOptions = {},
  ): Promise<Outcome<MappingReport>> {
    let report = await this.validateOnce(
      connection,
      mapping,
      recordTypes,
      options.fetchedNow,
      options.alsoCount,
    );
    if (!report.ok) return report;
    const stale = report.value.problems.some((problem) => STALE_DESCRIBE_CODES.has(problem.code));
    if (stale && !report.value.fresh) {
      report = await this.validateOnce(connection, mapping, recordTypes, 'all', options.alsoCount);
      if (!report.ok) return report;
    }
    const setProblems = validateMappingSet([...siblings, mapping], recordTypes).filter(
      (problem) =>
        problem.salesforceObject.toLowerCase() === mapping.salesforceObject.toLowerCase(),
    );
    const problems = [...report.value.problems, ...setProblems];
    return ok({
      salesforceObject: mapping.salesforceObject,
      valid: problems.every((problem) => problem.severity !== 'error'),
      problems,
      checkedAt: new Date().toISOString(),
    });
  }

  private async validateOnce(
    connection: Connection,
    mapping: ObjectMapping,
    recordTypes: readonly RecordTypeDefinition[],
    refresh: Set<string> | 'all' | undefined,
    alsoCount?: UsageRecorder,
  ): Promise<Outcome<{ problems: (MappingProblem | MappingSetProblem)[]; fresh: boolean }>> {
    const recordType = recordTypes.find((type) => type.key === mapping.recordType);
    if (!recordType) {
      return ok({
        fresh: true,
        problems: [
          {
            code: 'unknown_record_type',
            severity: 'error',
            salesforceObject: mapping.salesforceObject,
            message: `record type ${mapping.recordType} does not exist`,
          },
        ],
      });
    }
    const known = new Map<string, SObjectDescribe | undefined>();
    let fresh = true;
    const load = async (name: string): Promise<Outcome<void>> => {
      const key = name.toLowerCase();
      const fetch = refresh === 'all' || (refresh !== undefined && !refresh.has(key));
      if (refresh instanceof Set) refresh.add(key);
      const result = await this.describes.object(connection, name, fetch, alsoCount);
      if (result.ok) {
        known.set(key, parseSObjectDescribe(result.value.describe));
        fresh &&= result.value.fresh || refresh instanceof Set;
        return ok(undefined);
      }
      if (result.error.code === 'unknown_object') {
        known.set(key, undefined);
        return ok(undefined);
      }
      return result;
    };
    const main = await load(mapping.salesforceObject);
    if (!main.ok) return main;
    let problems: MappingProblem[] = [];
    for (let round = 0; round < MAX_DESCRIBE_ROUNDS; round += 1) {
      const missing = new Set<string>();
      const describeFor = (name: string) => {
        if (!known.has(name.toLowerCase())) missing.add(name);
        return known.get(name.toLowerCase());
      };
      problems = validateObjectMapping(
        mapping,
        recordType,
        known.get(mapping.salesforceObject.toLowerCase()),
        { describeFor },
      ).problems;
      if (missing.size === 0) break;
      for (const name of missing) {
        const loaded = await load(name);
        if (!loaded.ok) return loaded;
      }
    }
    return ok({ problems, fresh });
  }
}
