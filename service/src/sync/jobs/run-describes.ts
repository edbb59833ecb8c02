import type { Connection } from '../../connections/connection.ts';
import type { DescribeService } from '../../connections/describe-service.ts';
import {
  parseSObjectDescribe,
  queryFields,
  type ObjectMapping,
  type SObjectDescribe,
} from '../../mapping/index.ts';
import { problem, type Outcome } from '../../outcome/problem.ts';
import { ok } from '../../outcome/result.ts';

export interface RunDescribes {
  describe: SObjectDescribe;
  /** Parents the mapping's paths read (`Account.Name`), for the mapping core. */
  describeFor: (name: string) => SObjectDescribe | undefined;
}

/**
 * A mapped object's describe and those of the parents its query reads, from the describe cache
 * (a run's preflight has just refreshed them; a single-record push uses them warm).
 */
export async function runDescribes(
  describes: DescribeService,
  connection: Connection,
  mapping: ObjectMapping,
): Promise<Outcome<RunDescribes>> {
  const load = async (name: string): Promise<Outcome<SObjectDescribe | undefined>> => {
    const result = await describes.object(connection, name);
    if (!result.ok) return result.error.code === 'unknown_object' ? ok(undefined) : result;
    return ok(parseSObjectDescribe(result.value.describe));
  };
  const main = await load(mapping.salesforceObject);
  if (!main.ok) return main;
  if (!main.value) {
    return problem('not_found', 'unknown_object', `The org has no ${mapping.salesforceObject}`);
  }
  const describe = main.value;
  const known = new Map<string, SObjectDescribe | undefined>();
  for (let round = 0; round < 3; round += 1) {
    const missing = new Set<string>();
    queryFields(mapping, describe, (name) => {
      if (!known.has(name.toLowerCase())) missing.add(name);
      return known.get(name.toLowerCase());
    });
    if (missing.size === 0) break;
    for (const name of missing) {
      const loaded = await load(name);
      if (!loaded.ok) return loaded;
      known.set(name.toLowerCase(), loaded.value);
    }
  }
  return ok({ describe, describeFor: (name) => known.get(name.toLowerCase()) });
}
