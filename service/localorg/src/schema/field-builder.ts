import type { FieldDescribe, FieldType, PicklistEntry } from '../core/contracts.ts';

/** What a field needs to be described; everything else follows Salesforce's per-type defaults. */
export interface FieldSpec {
  name: string;
  type: FieldType;
  label?: string;
  length?: number;
  precision?: number;
  scale?: number;
  digits?: number;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  unique?: boolean;
  externalId?: boolean;
  caseSensitive?: boolean;
  nameField?: boolean;
  idLookup?: boolean;
  defaultedOnCreate?: boolean;
  defaultValue?: unknown;
  referenceTo?: string[];
  relationshipName?: string | null;
  picklist?: string[];
  picklistDefault?: string;
  restrictedPicklist?: boolean;
  custom?: boolean;
  calculated?: boolean;
  autoNumber?: boolean;
  extraTypeInfo?: string | null;
  compoundFieldName?: string | null;
  inlineHelpText?: string | null;
}

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  combobox: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  encryptedstring: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  long: 'xsd:long',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
  address: 'urn:address',
  location: 'urn:location',
  base64: 'xsd:base64Binary',
  anyType: 'xsd:anyType',
  complexvalue: 'urn:JsonNode',
};

const DEFAULT_LENGTH: Partial<Record<FieldType, number>> = {
  id: 18,
  reference: 18,
  string: 255,
  textarea: 255,
  picklist: 255,
  multipicklist: 4099,
  combobox: 255,
  email: 80,
  phone: 40,
  url: 255,
  encryptedstring: 175,
};

/** Fields Salesforce maintains itself: never createable or updateable through the API. */
export const SYSTEM_FIELDS = new Set([
  'Id',
  'IsDeleted',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
  'LastViewedDate',
  'LastReferencedDate',
  'LastActivityDate',
]);

/** System fields set by user activity, not on create: nillable and not defaulted. */
const USER_ACTIVITY_FIELDS = new Set(['LastViewedDate', 'LastReferencedDate', 'LastActivityDate']);

function isTextual(type: FieldType): boolean {
  return DEFAULT_LENGTH[type] !== undefined && type !== 'id' && type !== 'reference';
}

export function picklistEntries(values: string[], defaultValue?: string): PicklistEntry[] {
  return values.map((value) => ({
    active: true,
    defaultValue: value === defaultValue,
    label: value,
    validFor: null,
    value,
  }));
}

/** A full describe field entry, with the property set and defaults a real describe carries. */
export function buildField(spec: FieldSpec): FieldDescribe {
  const type = spec.type;
  const system = SYSTEM_FIELDS.has(spec.name) || type === 'id';
  const length =
    spec.length ??
    (isTextual(type) || type === 'id' || type === 'reference' ? (DEFAULT_LENGTH[type] ?? 0) : 0);
  const longText = type === 'textarea' && length > 255;
  const numeric = type === 'double' || type === 'currency' || type === 'percent';
  const compound = type === 'address' || type === 'location';
  const defaultCreateable = !system && !compound && !spec.calculated && !spec.autoNumber;
  const createable = spec.createable ?? defaultCreateable;
  const picklistValues = spec.picklist ? picklistEntries(spec.picklist, spec.picklistDefault) : [];
  return {
    aggregatable: !longText && !compound && type !== 'boolean',
    aiPredictionField: false,
    autoNumber: spec.autoNumber ?? false,
    byteLength: type === 'id' || type === 'reference' ? 18 : isTextual(type) ? length * 3 : 0,
    calculated: spec.calculated ?? false,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: spec.caseSensitive ?? false,
    compoundFieldName: spec.compoundFieldName ?? null,
    controllerName: null,
    createable,
    custom: spec.custom ?? spec.name.endsWith('__c'),
    defaultValue: spec.defaultValue ?? (type === 'boolean' ? false : null),
    defaultValueFormula: null,
    defaultedOnCreate:
      spec.defaultedOnCreate ??
      ((system && !USER_ACTIVITY_FIELDS.has(spec.name)) ||
        type === 'boolean' ||
        spec.name === 'OwnerId'),
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: spec.digits ?? (type === 'int' ? 9 : type === 'long' ? 18 : 0),
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: spec.externalId ?? false,
    extraTypeInfo:
      spec.extraTypeInfo ?? (type === 'textarea' ? 'plaintextarea' : type === 'url' ? null : null),
    filterable: !longText && !compound,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: !longText && !compound && !numeric && type !== 'datetime' && type !== 'combobox',
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: spec.idLookup ?? (type === 'id' || spec.externalId === true || spec.unique === true),
    inlineHelpText: spec.inlineHelpText ?? null,
    label: spec.label ?? labelFromName(spec.name),
    length,
    mask: null,
    maskType: null,
    name: spec.name,
    nameField: spec.nameField ?? false,
    namePointing: (spec.referenceTo?.length ?? 0) > 1,
    nillable:
      spec.nillable ?? (!(system && !USER_ACTIVITY_FIELDS.has(spec.name)) && type !== 'boolean'),
    permissionable: !system && createable && spec.nillable !== false,
    picklistValues,
    polymorphicForeignKey: (spec.referenceTo?.length ?? 0) > 1,
    precision: spec.precision ?? (numeric ? 18 : 0),
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: spec.referenceTo ?? [],
    relationshipName: spec.relationshipName ?? null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: spec.restrictedPicklist ?? false,
    scale: spec.scale ?? (type === 'currency' ? 2 : 0),
    searchPrefilterable: false,
    soapType: SOAP_TYPES[type],
    sortable: !longText && !compound,
    type,
    unique: spec.unique ?? false,
    updateable: spec.updateable ?? (createable && spec.name !== 'Id'),
    writeRequiresMasterRead: false,
  };
}

function labelFromName(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/ Id$/, ' ID');
}

/**
 * Completes a field from a trimmed recorded describe (name, type, nillable, references,
 * picklists kept; lengths and access flags dropped) with the builder's defaults.
 */
export function completeField(
  partial: Partial<FieldDescribe> & { name: string; type: FieldType },
): FieldDescribe {
  const built = buildField({
    name: partial.name,
    type: partial.type,
    label: partial.label,
    nillable: partial.nillable,
    referenceTo: partial.referenceTo,
    relationshipName: partial.relationshipName ?? null,
    extraTypeInfo: (partial.extraTypeInfo as string | null | undefined) ?? undefined,
    custom: partial.custom,
  });
  return { ...built, ...partial, picklistValues: partial.picklistValues ?? [] } as FieldDescribe;
}
