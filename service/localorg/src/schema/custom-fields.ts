import type { FieldType } from '../core/contracts.ts';
import type { CustomFieldMeta } from './force-app.ts';
import type { FieldSpec } from './field-builder.ts';

/** Metadata API field types to the describe `type` they report. */
const TYPE_MAP: Record<string, FieldType> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Html: 'textarea',
  EncryptedText: 'encryptedstring',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Checkbox: 'boolean',
  Date: 'date',
  DateTime: 'datetime',
  Time: 'time',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  Picklist: 'picklist',
  MultiselectPicklist: 'multipicklist',
  Lookup: 'reference',
  MasterDetail: 'reference',
  AutoNumber: 'string',
};

/** Applies an org's namespace to a package-defined API name (`X__c` → `ns__X__c`). */
export function withNamespace(name: string, namespace: string | undefined): string {
  if (!namespace) return name;
  if (!/__(c|e|r)$/.test(name)) return name;
  if (/^[A-Za-z0-9]+__[A-Za-z0-9_]+__(c|e|r)$/.test(name) && name.split('__').length > 2) {
    return name;
  }
  return `${namespace}__${name}`;
}

/** Turns a package field definition into a describe spec for an org with `namespace`. */
export function customFieldSpec(meta: CustomFieldMeta, namespace: string | undefined): FieldSpec {
  const formula = meta.formula !== undefined;
  const typeName = formula ? (meta.formulaType ?? 'Text') : meta.type;
  const type = TYPE_MAP[typeName] ?? 'string';
  const name = withNamespace(meta.fullName, namespace);
  const spec: FieldSpec = {
    name,
    type,
    label: meta.label,
    custom: true,
    unique: meta.unique,
    externalId: meta.externalId,
    caseSensitive: meta.caseSensitive,
    inlineHelpText: meta.inlineHelpText ?? null,
    calculated: formula,
    autoNumber: meta.type === 'AutoNumber',
  };
  if (type === 'string' || type === 'encryptedstring')
    spec.length = meta.length ?? (meta.type === 'AutoNumber' ? 30 : 255);
  if (meta.type === 'TextArea') spec.length = 255;
  if (meta.type === 'LongTextArea' || meta.type === 'Html') {
    spec.length = meta.length ?? 32768;
    spec.extraTypeInfo = meta.type === 'Html' ? 'richtextarea' : 'plaintextarea';
  }
  if (type === 'double' || type === 'currency' || type === 'percent') {
    spec.precision = meta.precision ?? 18;
    spec.scale = meta.scale ?? 0;
  }
  if (type === 'boolean') {
    spec.defaultValue = meta.defaultValue === 'true';
    spec.nillable = false;
    spec.defaultedOnCreate = true;
  } else {
    spec.nillable = !meta.required && meta.type !== 'MasterDetail';
  }
  if (type === 'picklist' || type === 'multipicklist') {
    spec.picklist = meta.picklistValues.map((v) => v.value);
    spec.picklistDefault = meta.picklistValues.find((v) => v.isDefault)?.value;
    spec.restrictedPicklist = meta.restrictedPicklist;
    spec.defaultedOnCreate = spec.picklistDefault !== undefined;
  }
  if (type === 'reference' && meta.referenceTo) {
    spec.referenceTo = [withNamespace(meta.referenceTo, namespace)];
    spec.relationshipName = name.replace(/__c$/, '__r');
  }
  if (meta.type === 'AutoNumber' || formula) {
    spec.createable = false;
    spec.updateable = false;
    spec.defaultedOnCreate = meta.type === 'AutoNumber';
  }
  if (meta.type === 'MasterDetail') spec.updateable = false;
  return spec;
}

/** The parent's child relationship name for a lookup (`<relationshipName>` plus `__r`). */
export function childRelationshipName(
  meta: CustomFieldMeta,
  namespace: string | undefined,
): string | null {
  if (!meta.relationshipName) return null;
  return withNamespace(`${meta.relationshipName}__r`, namespace);
}
