import type { ChildRelationship, FieldDescribe, SObjectDescribe } from '../core/contracts.ts';
import { buildField, completeField } from './field-builder.ts';
import { childRelationshipName, customFieldSpec, withNamespace } from './custom-fields.ts';
import type { ForceAppMetadata, PermissionSetMeta } from './force-app.ts';
import { describeCustomObject, objectShell, objectUrls } from './object-describe.ts';
import { loadAuthoredObjects, loadRecordedDescribes } from './recorded.ts';
import { base62 } from '../core/ids.ts';

/**
 * One org's schema: every object's describe (standard from data files, custom and platform
 * events from the package metadata), with case-insensitive lookups by name and key prefix.
 */

/** Key prefixes of the standard objects whose recorded describes leave them out. */
const STANDARD_KEY_PREFIXES: Record<string, string> = {
  User: '005',
  UserRole: '00E',
  Profile: '00e',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  UserLicense: '100',
  LoginHistory: '0Ya',
  CaseComment: '00a',
};

/** Object-level access flags for objects whose recorded describes are trimmed. */
const ACCESS: Record<string, [createable: boolean, updateable: boolean, deletable: boolean]> = {
  User: [true, true, false],
  UserRole: [true, true, true],
  Profile: [false, true, false],
  PermissionSet: [true, true, true],
  PermissionSetAssignment: [true, false, true],
  UserLicense: [false, false, false],
  LoginHistory: [false, false, false],
  CaseComment: [true, true, true],
  Organization: [false, false, false],
};

const LABEL_PLURAL: Record<string, string> = {
  User: 'Users',
  UserRole: 'Roles',
  Profile: 'Profile',
  PermissionSet: 'Permission Sets',
  PermissionSetAssignment: 'Permission Set Assignments',
  UserLicense: 'User Licenses',
  LoginHistory: 'Login History',
  CaseComment: 'Case Comments',
};

export interface SchemaOptions {
  forceApp: ForceAppMetadata;
  /** Namespace of the package install (`pryzm`), or undefined for an un-namespaced deploy. */
  namespace?: string;
}

export class OrgSchema {
  /** When the schema was read (ms since epoch): describes have not changed since. */
  readonly loadedAt = Date.now();
  private readonly byLower = new Map<string, SObjectDescribe>();
  private readonly fieldsByObject = new Map<string, Map<string, FieldDescribe>>();
  private readonly byKeyPrefix = new Map<string, SObjectDescribe>();

  constructor(
    describes: SObjectDescribe[],
    readonly permissionSets: PermissionSetMeta[],
    readonly namespace: string | undefined,
  ) {
    for (const d of describes) {
      this.byLower.set(d.name.toLowerCase(), d);
      if (d.keyPrefix) this.byKeyPrefix.set(d.keyPrefix, d);
      this.fieldsByObject.set(
        d.name.toLowerCase(),
        new Map(d.fields.map((f) => [f.name.toLowerCase(), f])),
      );
    }
  }

  describe(name: string): SObjectDescribe | undefined {
    return this.byLower.get(name.toLowerCase());
  }

  field(objectName: string, fieldName: string): FieldDescribe | undefined {
    return this.fieldsByObject.get(objectName.toLowerCase())?.get(fieldName.toLowerCase());
  }

  objectForId(id: string): SObjectDescribe | undefined {
    return this.byKeyPrefix.get(id.slice(0, 3));
  }

  all(): SObjectDescribe[] {
    return [...this.byLower.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Applies the org's namespace to a package name (`Pryzm_ID__c` → `pryzm__Pryzm_ID__c`). */
  packageName(name: string): string {
    return withNamespace(name, this.namespace);
  }
}

/** Builds one org's schema from the shipped describes and the package metadata. */
export function buildSchema(options: SchemaOptions): OrgSchema {
  const ns = options.namespace;
  const describes = new Map<string, SObjectDescribe>();
  const recordedShellSource = loadRecordedDescribes();
  for (const [name, recorded] of recordedShellSource) {
    const trimmed = recorded.keyPrefix === undefined;
    const fields = recorded.fields.map((f) => (trimmed ? completeField(f) : f));
    const shell = objectShell(
      name,
      recorded.label,
      (recorded.labelPlural as string | undefined) ?? LABEL_PLURAL[name] ?? `${recorded.label}s`,
      (recorded.keyPrefix as string | null | undefined) ?? STANDARD_KEY_PREFIXES[name] ?? null,
      false,
    );
    const access = ACCESS[name];
    const flags = access
      ? {
          createable: access[0],
          updateable: access[1],
          deletable: access[2],
          undeletable: access[2],
        }
      : {};
    describes.set(name, {
      ...shell,
      ...(trimmed ? flags : recorded),
      name,
      keyPrefix: shell.keyPrefix,
      urls: objectUrls(name),
      fields,
      childRelationships: recorded.childRelationships,
    });
  }
  for (const [name, authored] of Object.entries(loadAuthoredObjects())) {
    const shell = objectShell(
      name,
      authored.label,
      authored.labelPlural,
      authored.keyPrefix,
      false,
    );
    describes.set(name, {
      ...shell,
      createable: authored.createable ?? true,
      updateable: authored.updateable ?? true,
      deletable: authored.deletable ?? true,
      undeletable: authored.deletable ?? true,
      mergeable: authored.mergeable ?? false,
      feedEnabled: authored.feedEnabled ?? false,
      fields: authored.fields.map(buildField),
      childRelationships: (authored.childRelationships ?? []).map((c) => ({
        ...c,
        deprecatedAndHidden: false,
        junctionIdListNames: [],
        junctionReferenceTo: [],
      })),
    });
  }
  // Custom objects get key prefixes a00, a01, ...; platform events e00, e01, ... in name order.
  let customCount = 0;
  let eventCount = 0;
  for (const meta of options.forceApp.objects) {
    const isCustom = meta.name.endsWith('__c');
    const isEvent = meta.name.endsWith('__e');
    if (isCustom || isEvent) {
      const prefix = isEvent ? `e${base62(eventCount++, 2)}` : `a${base62(customCount++, 2)}`;
      const d = describeCustomObject(meta, prefix, ns);
      describes.set(d.name, d);
      continue;
    }
    const standard = describes.get(meta.name);
    if (!standard) continue;
    const extra = meta.fields.map((f) => buildField(customFieldSpec(f, ns)));
    const names = new Set(extra.map((f) => f.name.toLowerCase()));
    standard.fields = [
      ...standard.fields.filter((f) => !names.has(f.name.toLowerCase())),
      ...extra,
    ];
  }
  const childNames = new Map<string, string | null>();
  for (const meta of options.forceApp.objects) {
    for (const f of meta.fields) {
      const key = `${withNamespace(meta.name, ns)}.${withNamespace(f.fullName, ns)}`;
      childNames.set(key.toLowerCase(), childRelationshipName(f, ns));
    }
  }
  addChildRelationships(describes, childNames);
  return new OrgSchema([...describes.values()], options.forceApp.permissionSets, ns);
}

/** Declares every custom lookup on its parent, as describes of the parent list them. */
function addChildRelationships(
  describes: Map<string, SObjectDescribe>,
  childNames: Map<string, string | null>,
): void {
  for (const child of describes.values()) {
    for (const field of child.fields) {
      if (!field.custom || field.type !== 'reference') continue;
      for (const target of field.referenceTo) {
        const parent = describes.get(target);
        if (!parent) continue;
        const rel: ChildRelationship = {
          cascadeDelete: field.nillable === false,
          childSObject: child.name,
          deprecatedAndHidden: false,
          field: field.name,
          junctionIdListNames: [],
          junctionReferenceTo: [],
          relationshipName: childNames.get(`${child.name}.${field.name}`.toLowerCase()) ?? null,
          restrictedDelete: false,
        };
        parent.childRelationships = [...parent.childRelationships, rel];
      }
    }
  }
}
