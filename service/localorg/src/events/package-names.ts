/**
 * Name resolution inside a namespaced org: package metadata (Flows, channel members, the Push
 * button) names its objects and fields without the namespace (`Record_Id__c`), while the org
 * describes them with it (`pryzm__Record_Id__c`), as Salesforce resolves them at run time.
 */
import type { EventBusHost, FieldDescribe, SObjectDescribe } from '../core/contracts.ts';

const NAMESPACED = /^([A-Za-z][A-Za-z0-9]*)__[A-Za-z0-9_]+__(c|e|chn)$/;

/** True when `actual` is `name` itself or `name` with a namespace prefix. */
export function isPackageName(actual: string, name: string): boolean {
  const a = actual.toLowerCase();
  const n = name.toLowerCase();
  if (a === n) return true;
  const match = NAMESPACED.exec(actual);
  return match !== null && a === `${match[1]!.toLowerCase()}__${n}`;
}

/** A field of the describe by its own name or its name without the namespace. */
export function findPackageField(
  describe: SObjectDescribe,
  name: string,
): FieldDescribe | undefined {
  return (
    describe.fields.find((f) => f.name.toLowerCase() === name.toLowerCase()) ??
    describe.fields.find((f) => f.custom && isPackageName(f.name, name))
  );
}

/** A record value by field name, falling back to the namespaced form of a custom field. */
export function packageFieldValue<T>(record: Record<string, T>, name: string): T | undefined {
  if (name in record) return record[name];
  const key = Object.keys(record).find((k) => isPackageName(k, name));
  return key === undefined ? undefined : record[key];
}

/** Namespaces of package fields on the org's standard objects (the package's, when installed). */
export function packageNamespaces(host: EventBusHost, orgId: string): string[] {
  const namespaces = new Set<string>();
  for (const probe of ['Account', 'Contact', 'Opportunity', 'Lead', 'Case']) {
    for (const field of host.describe(orgId, probe)?.fields ?? []) {
      const match = NAMESPACED.exec(field.name);
      if (match) namespaces.add(match[1]!);
    }
  }
  return [...namespaces];
}

/** The org's describe of a package object, trying the namespaces its standard objects show. */
export function describePackageObject(
  host: EventBusHost,
  orgId: string,
  name: string,
): SObjectDescribe | undefined {
  const exact = host.describe(orgId, name);
  if (exact || !/__(c|e)$/.test(name)) return exact;
  for (const namespace of packageNamespaces(host, orgId)) {
    const found = host.describe(orgId, `${namespace}__${name}`);
    if (found) return found;
  }
  return undefined;
}
