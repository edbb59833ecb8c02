import type { SObjectDescribe } from '../core/contracts.ts';
import { customFieldSpec, withNamespace } from './custom-fields.ts';
import { buildField, type FieldSpec } from './field-builder.ts';
import type { CustomObjectMeta } from './force-app.ts';

/**
 * The describe of one object: the top-level properties every object reports (its shell), and
 * the whole describe of a custom object or platform event authored in the package metadata.
 */

export const URL_VERSION_PLACEHOLDER = 'v{version}';

export function objectUrls(name: string): Record<string, string> {
  const base = `/services/data/${URL_VERSION_PLACEHOLDER}/sobjects/${name}`;
  return {
    compactLayouts: `${base}/describe/compactLayouts`,
    rowTemplate: `${base}/{ID}`,
    approvalLayouts: `${base}/describe/approvalLayouts`,
    defaultValues: `${base}/defaultValues?recordTypeId&fields`,
    listviews: `${base}/listviews`,
    describe: `${base}/describe`,
    quickActions: `${base}/quickActions`,
    layouts: `${base}/describe/layouts`,
    sobject: base,
  };
}

/** Top-level describe properties with the values an ordinary standard object reports. */
export function objectShell(
  name: string,
  label: string,
  labelPlural: string,
  keyPrefix: string | null,
  custom: boolean,
): SObjectDescribe {
  return {
    fields: [],
    childRelationships: [],
    actionOverrides: [],
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    compactLayoutable: true,
    createable: true,
    custom,
    customSetting: false,
    deepCloneable: false,
    defaultImplementation: null,
    deletable: true,
    deprecatedAndHidden: false,
    extendedBy: null,
    extendsInterfaces: null,
    feedEnabled: false,
    hasSubtypes: false,
    implementedBy: null,
    implementsInterfaces: null,
    isInterface: false,
    isSubtype: false,
    keyPrefix,
    label,
    labelPlural,
    layoutable: true,
    listviewable: null,
    lookupLayoutable: null,
    mergeable: false,
    mruEnabled: true,
    name,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    queryable: true,
    recordTypeInfos: [],
    replicateable: true,
    retrieveable: true,
    searchLayoutable: true,
    searchable: true,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [{ label: 'All ' + labelPlural.toLowerCase(), name: 'everything' }],
    triggerable: true,
    undeletable: true,
    updateable: true,
    urls: objectUrls(name),
  };
}

/** A system field that names a user: who created or last changed the record. */
function userReference(name: string, label: string, relationshipName: string): FieldSpec {
  return { name, type: 'reference', label, referenceTo: ['User'], relationshipName };
}

function standardSystemFields(label: string, withOwner: boolean): FieldSpec[] {
  const specs: FieldSpec[] = [{ name: 'Id', type: 'id', label: 'Record ID' }];
  if (withOwner) {
    specs.push({
      name: 'OwnerId',
      type: 'reference',
      label: 'Owner ID',
      referenceTo: ['Group', 'User'],
      relationshipName: 'Owner',
      nillable: false,
      defaultedOnCreate: true,
    });
  }
  specs.push(
    { name: 'IsDeleted', type: 'boolean', label: 'Deleted', createable: false, updateable: false },
    { name: 'Name', type: 'string', label: `${label} Name`, length: 80, nameField: true },
    { name: 'CreatedDate', type: 'datetime', label: 'Created Date' },
    userReference('CreatedById', 'Created By ID', 'CreatedBy'),
    { name: 'LastModifiedDate', type: 'datetime', label: 'Last Modified Date' },
    userReference('LastModifiedById', 'Last Modified By ID', 'LastModifiedBy'),
    { name: 'SystemModstamp', type: 'datetime', label: 'System Modstamp' },
    { name: 'LastViewedDate', type: 'datetime', label: 'Last Viewed Date' },
    { name: 'LastReferencedDate', type: 'datetime', label: 'Last Referenced Date' },
  );
  return specs;
}

function platformEventFields(): FieldSpec[] {
  return [
    { name: 'ReplayId', type: 'string', label: 'Replay ID', createable: false, updateable: false },
    { name: 'CreatedDate', type: 'datetime', label: 'Created Date' },
    userReference('CreatedById', 'Created By ID', 'CreatedBy'),
    {
      name: 'EventUuid',
      type: 'string',
      label: 'Event UUID',
      length: 36,
      createable: false,
      updateable: false,
    },
  ];
}

/**
 * The system fields of a custom setting. A hierarchy setting's rows belong to the org, a profile
 * or a user through `SetupOwnerId`, one row per owner (Apex Developer Guide, "Custom Settings";
 * SOAP API Developer Guide, "Custom Settings": settings are queried and written like custom
 * objects, and have no OwnerId).
 */
function customSettingFields(label: string, hierarchy: boolean): FieldSpec[] {
  const specs = standardSystemFields(label, false).filter(
    (f) => !['LastViewedDate', 'LastReferencedDate'].includes(f.name),
  );
  const name = specs.find((f) => f.name === 'Name');
  if (name) {
    name.label = 'Name';
    name.length = 38;
    name.nillable = true;
    name.defaultedOnCreate = true;
  }
  if (hierarchy) {
    specs.splice(1, 0, {
      name: 'SetupOwnerId',
      type: 'reference',
      label: 'Location',
      referenceTo: ['Organization', 'Profile', 'User'],
      relationshipName: 'SetupOwner',
      nillable: false,
      unique: true,
    });
  }
  return specs;
}

/** A custom object or platform event of the package, with its system fields, named `ns`. */
export function describeCustomObject(
  meta: CustomObjectMeta,
  keyPrefix: string,
  ns: string | undefined,
): SObjectDescribe {
  const name = withNamespace(meta.name, ns);
  const label = meta.label ?? meta.name.replace(/__[ce]$/, '').replace(/_/g, ' ');
  const plural = meta.pluralLabel ?? `${label}s`;
  const isEvent = meta.name.endsWith('__e');
  const shell = objectShell(name, label, plural, keyPrefix, true);
  if (meta.customSettingsType) {
    const hierarchy = meta.customSettingsType === 'Hierarchy';
    const fields = [
      ...customSettingFields(label, hierarchy),
      ...meta.fields.map((f) => customFieldSpec(f, ns)),
    ].map(buildField);
    return {
      ...shell,
      customSetting: true,
      feedEnabled: false,
      mergeable: false,
      mruEnabled: false,
      searchable: false,
      triggerable: false,
      fields,
      childRelationships: [],
    };
  }
  const base = isEvent
    ? platformEventFields()
    : standardSystemFields(label, meta.sharingModel !== 'ControlledByParent');
  if (!isEvent) {
    const nameSpec = base.find((f) => f.name === 'Name');
    if (nameSpec) {
      // A custom object's Name identifies its records (upsert and lookups by name).
      nameSpec.idLookup = true;
      nameSpec.label = meta.nameFieldLabel ?? nameSpec.label;
      if (meta.nameFieldType === 'AutoNumber') {
        nameSpec.autoNumber = true;
        nameSpec.createable = false;
        nameSpec.updateable = false;
        nameSpec.length = 30;
        nameSpec.defaultedOnCreate = true;
      } else {
        nameSpec.nillable = true;
        nameSpec.defaultedOnCreate = true;
      }
    }
  }
  const fields = [...base, ...meta.fields.map((f) => customFieldSpec(f, ns))].map(buildField);
  if (isEvent) {
    return {
      ...shell,
      compactLayoutable: false,
      deletable: false,
      layoutable: false,
      mergeable: false,
      mruEnabled: false,
      queryable: false,
      replicateable: false,
      retrieveable: false,
      searchable: false,
      searchLayoutable: false,
      undeletable: false,
      updateable: false,
      supportedScopes: [],
      fields,
      childRelationships: [],
    };
  }
  return { ...shell, fields, childRelationships: [] };
}
