/** Small hand-built describes for unit tests: just the properties the event bus reads. */
import type { FieldDescribe, FieldType, SObjectDescribe } from '../../../src/core/contracts.ts';

export interface FieldSpec {
  name: string;
  type: FieldType;
  custom?: boolean;
  nillable?: boolean;
  createable?: boolean;
  length?: number;
  compoundFieldName?: string;
  calculated?: boolean;
}

export function field(spec: FieldSpec): FieldDescribe {
  return {
    name: spec.name,
    label: spec.name.replace(/__c$/, '').replace(/_/g, ' '),
    type: spec.type,
    length: spec.length ?? (spec.type === 'string' || spec.type === 'textarea' ? 255 : 0),
    precision: 0,
    scale: 0,
    digits: 0,
    byteLength: 0,
    nillable: spec.nillable ?? true,
    createable: spec.createable ?? true,
    updateable: spec.createable ?? true,
    unique: false,
    externalId: false,
    idLookup: spec.type === 'id',
    caseSensitive: false,
    calculated: spec.calculated ?? false,
    autoNumber: false,
    defaultedOnCreate: false,
    filterable: true,
    sortable: true,
    groupable: true,
    custom: spec.custom ?? spec.name.endsWith('__c'),
    relationshipName: null,
    referenceTo: [],
    picklistValues: [],
    restrictedPicklist: false,
    soapType: 'xsd:string',
    ...(spec.compoundFieldName ? { compoundFieldName: spec.compoundFieldName } : {}),
  };
}

export function describeOf(name: string, keyPrefix: string, fields: FieldSpec[]): SObjectDescribe {
  return {
    name,
    label: name,
    labelPlural: name,
    keyPrefix,
    custom: name.includes('__'),
    createable: true,
    updateable: true,
    deletable: true,
    undeletable: true,
    queryable: true,
    retrieveable: true,
    searchable: true,
    replicateable: true,
    triggerable: true,
    fields: fields.map(field),
    childRelationships: [],
    urls: {},
  };
}

function address(prefix: string): FieldSpec[] {
  const compoundFieldName = `${prefix}Address`;
  return [
    { name: `${prefix}Street`, type: 'textarea', compoundFieldName },
    { name: `${prefix}City`, type: 'string', compoundFieldName },
    { name: `${prefix}State`, type: 'string', compoundFieldName },
    { name: `${prefix}PostalCode`, type: 'string', compoundFieldName },
    { name: `${prefix}Country`, type: 'string', compoundFieldName },
    { name: `${prefix}StateCode`, type: 'picklist', compoundFieldName },
    { name: `${prefix}CountryCode`, type: 'picklist', compoundFieldName },
    { name: `${prefix}Latitude`, type: 'double', compoundFieldName },
    { name: `${prefix}Longitude`, type: 'double', compoundFieldName },
    { name: `${prefix}GeocodeAccuracy`, type: 'picklist', compoundFieldName },
    { name: compoundFieldName, type: 'address' },
  ];
}

/** Account's fields in describe order, as a real org lists them, plus the package's fields. */
export const accountDescribe = describeOf('Account', '001', [
  { name: 'Id', type: 'id', createable: false },
  { name: 'IsDeleted', type: 'boolean', createable: false },
  { name: 'MasterRecordId', type: 'reference', createable: false },
  { name: 'Name', type: 'string', compoundFieldName: 'Name' },
  { name: 'Type', type: 'picklist' },
  { name: 'ParentId', type: 'reference' },
  ...address('Billing'),
  ...address('Shipping'),
  { name: 'Phone', type: 'phone' },
  { name: 'Fax', type: 'phone' },
  { name: 'AccountNumber', type: 'string' },
  { name: 'Website', type: 'url' },
  { name: 'PhotoUrl', type: 'url', createable: false },
  { name: 'Sic', type: 'string' },
  { name: 'Industry', type: 'picklist' },
  { name: 'AnnualRevenue', type: 'currency' },
  { name: 'NumberOfEmployees', type: 'int' },
  { name: 'Ownership', type: 'picklist' },
  { name: 'TickerSymbol', type: 'string' },
  { name: 'Description', type: 'textarea' },
  { name: 'Rating', type: 'picklist' },
  { name: 'Site', type: 'string' },
  { name: 'OwnerId', type: 'reference' },
  { name: 'CreatedDate', type: 'datetime', createable: false },
  { name: 'CreatedById', type: 'reference', createable: false },
  { name: 'LastModifiedDate', type: 'datetime', createable: false },
  { name: 'LastModifiedById', type: 'reference', createable: false },
  { name: 'SystemModstamp', type: 'datetime', createable: false },
  { name: 'LastActivityDate', type: 'date', createable: false },
  { name: 'LastViewedDate', type: 'datetime', createable: false },
  { name: 'LastReferencedDate', type: 'datetime', createable: false },
  { name: 'Jigsaw', type: 'string' },
  { name: 'JigsawCompanyId', type: 'string', createable: false },
  { name: 'CleanStatus', type: 'picklist' },
  { name: 'AccountSource', type: 'picklist' },
  { name: 'DunsNumber', type: 'string' },
  { name: 'Tradestyle', type: 'string' },
  { name: 'NaicsCode', type: 'string' },
  { name: 'NaicsDesc', type: 'string' },
  { name: 'YearStarted', type: 'string' },
  { name: 'SicDesc', type: 'string' },
  { name: 'DandbCompanyId', type: 'reference' },
  { name: 'Pryzm_ID__c', type: 'string', length: 64 },
]);

/** The package's record change event, as its force-app metadata declares it. */
export const recordChangeEventDescribe = describeOf('Pryzm_Record_Change__e', 'e00', [
  { name: 'ReplayId', type: 'string', custom: false, createable: false },
  { name: 'CreatedDate', type: 'datetime', custom: false, createable: false },
  { name: 'CreatedById', type: 'reference', custom: false, createable: false },
  { name: 'EventUuid', type: 'string', custom: false, createable: false },
  { name: 'Change_Type__c', type: 'string', length: 10, nillable: false },
  { name: 'Changed_At__c', type: 'datetime' },
  { name: 'Changed_Fields__c', type: 'textarea', length: 32768 },
  { name: 'Object_Name__c', type: 'string', length: 80, nillable: false },
  { name: 'Origin_User_Id__c', type: 'string', length: 18 },
  { name: 'Pryzm_Id__c', type: 'string', length: 64 },
  { name: 'Record_Id__c', type: 'string', length: 18, nillable: false },
]);

export const pushRequestEventDescribe = describeOf('Pryzm_Push_Request__e', 'e01', [
  { name: 'CreatedDate', type: 'datetime', custom: false, createable: false },
  { name: 'CreatedById', type: 'reference', custom: false, createable: false },
  { name: 'Correlation_Id__c', type: 'string', length: 36, nillable: false },
  { name: 'Object_Name__c', type: 'string', length: 80, nillable: false },
  { name: 'Record_Id__c', type: 'string', length: 18, nillable: false },
  { name: 'Requested_By__c', type: 'string', length: 18, nillable: false },
]);
