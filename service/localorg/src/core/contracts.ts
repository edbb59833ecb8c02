/**
 * The shapes the local org's parts agree on: schema (as Salesforce's describe returns it),
 * stored records, and the write transactions that Change Data Capture and Flows react to.
 * Every part (REST, Bulk, SOQL, Pub/Sub, Flows) depends on these types, not on each other.
 */

/** Field types as `sobjects/<Object>/describe` reports them. */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'combobox'
  | 'reference'
  | 'boolean'
  | 'int'
  | 'long'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'time'
  | 'email'
  | 'phone'
  | 'url'
  | 'address'
  | 'location'
  | 'base64'
  | 'encryptedstring'
  | 'anyType'
  | 'complexvalue';

export interface PicklistEntry {
  active: boolean;
  defaultValue: boolean;
  label: string;
  validFor: string | null;
  value: string;
}

/** One entry of a describe's `fields` array; unknown keys from recorded describes are kept. */
export interface FieldDescribe {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  precision: number;
  scale: number;
  digits: number;
  byteLength: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  unique: boolean;
  externalId: boolean;
  idLookup: boolean;
  caseSensitive: boolean;
  calculated: boolean;
  autoNumber: boolean;
  defaultedOnCreate: boolean;
  filterable: boolean;
  sortable: boolean;
  groupable: boolean;
  custom: boolean;
  relationshipName: string | null;
  referenceTo: string[];
  picklistValues: PicklistEntry[];
  restrictedPicklist: boolean;
  soapType: string;
  [key: string]: unknown;
}

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string | null;
  cascadeDelete: boolean;
  [key: string]: unknown;
}

/** `sobjects/<Object>/describe` as Salesforce returns it. */
export interface SObjectDescribe {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string | null;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  undeletable: boolean;
  queryable: boolean;
  retrieveable: boolean;
  searchable: boolean;
  replicateable: boolean;
  triggerable: boolean;
  fields: FieldDescribe[];
  childRelationships: ChildRelationship[];
  urls: Record<string, string>;
  [key: string]: unknown;
}

/** A field value in the form the REST API's JSON carries it (dates as ISO strings). */
export type FieldValue = string | number | boolean | null;

/**
 * A record as the org stores it: field API names (as described) to REST-form values.
 * Deleted records stay in the store with `IsDeleted: true` until purged (recycle bin).
 */
export interface StoredRecord {
  Id: string;
  IsDeleted: boolean;
  [field: string]: FieldValue;
}

/** Read access to one org's schema and data: what the SOQL engine and Bulk queries need. */
export interface QueryDataSource {
  /** Describe of an object, matched case-insensitively; undefined when it does not exist. */
  describe(objectName: string): SObjectDescribe | undefined;
  /** Every record of the object, deleted ones included (`IsDeleted: true`). */
  records(objectName: string): Iterable<StoredRecord>;
  /** Any record by its 15- or 18-character Id, deleted ones included. */
  findById(id: string): { objectName: string; record: StoredRecord } | undefined;
}

export type ChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';

export interface RecordChange {
  objectName: string;
  changeType: ChangeType;
  recordId: string;
  /** Field API names whose value changed (all populated fields on CREATE). */
  changedFields: string[];
  /** Field API names set to null by this change. */
  nulledFields: string[];
  /** The record after the change; undefined for DELETE. */
  after: StoredRecord | undefined;
  /** The record before the change; undefined for CREATE. */
  before: StoredRecord | undefined;
  /**
   * A child deleted because its parent was (a relationship with `cascadeDelete`): change data
   * capture reports it, triggers and record-triggered Flows do not run for it.
   */
  cascadeDelete?: true;
}

/** One committed DML transaction: what CDC, Flows and `updated`/`deleted` listings see. */
export interface WriteTransaction {
  orgId: string;
  /** The user who made the change (CDC's commitUser). */
  userId: string;
  /** A UUID per transaction, as CDC's transactionKey. */
  transactionKey: string;
  /** Milliseconds since epoch, the org's clock (faults may offset it). */
  commitTimestamp: number;
  /** CDC's changeOrigin, e.g. `com/salesforce/api/rest/63.0` or `com/salesforce/api/bulkapi/63.0`. */
  changeOrigin: string;
  changes: RecordChange[];
}

/** A validated access token. */
export interface Session {
  orgId: string;
  userId: string;
  accessToken: string;
  instanceUrl: string;
}

/** A Salesforce REST error body entry: the API answers with an array of these. */
export interface ApiError {
  message: string;
  errorCode: string;
  fields?: string[];
}

/**
 * What the event bus (Pub/Sub API, Change Data Capture, Flows) needs from the rest of the
 * local org. The org runtime implements it; the event bus never reaches into REST or storage.
 */
export interface EventBusHost {
  /** Validates a Pub/Sub call's `accesstoken` (and, when given, `instanceurl`/`tenantid`). */
  authenticate(accessToken: string): Session | undefined;
  /** Ids of every org this process serves. */
  orgIds(): string[];
  /** Describe of an object (standard, custom or platform event) in one org. */
  describe(orgId: string, objectName: string): SObjectDescribe | undefined;
  /** Subscribes to every committed write transaction of every org; returns an unsubscribe. */
  onCommit(listener: (tx: WriteTransaction) => void): () => void;
  /** True when the user holds the custom permission (through a permission set or profile). */
  userHasCustomPermission(orgId: string, userId: string, permissionName: string): boolean;
  /**
   * A hierarchy custom setting's values for a user, as `$Setup.<Setting>.<Field>` in formulas
   * reads them: the org default, overridden field by field by the user's profile row and then
   * the user's row. Undefined when the org has no such setting or no row applies.
   */
  hierarchySetting?(orgId: string, userId: string, settingName: string): StoredRecord | undefined;
  /** The org's clock in milliseconds since epoch (faults may offset it). */
  now(orgId: string): number;
  /** The org's instance URL (outbound messages name the org's SOAP endpoints on it). */
  instanceUrl?(orgId: string): string | undefined;
  /** A live record of an object by id (an outbound message carries its fields). */
  liveRecord?(orgId: string, objectName: string, id: string): StoredRecord | undefined;
}

/** Publishes platform events; REST `POST sobjects/<Event>__e` and Flows call it. */
export interface PlatformEventPublisher {
  /**
   * Publishes one event after validating its fields against the event's describe.
   * Returns the event's uuid-like id as REST reports it, or errors in REST form.
   */
  publish(
    orgId: string,
    userId: string,
    eventName: string,
    fields: Record<string, FieldValue>,
  ): { success: true; id: string } | { success: false; errors: ApiError[] };
}
