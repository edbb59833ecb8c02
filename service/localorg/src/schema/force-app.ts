import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

/**
 * Reads the package's source-format metadata (force-app/main/default): custom objects,
 * custom fields on standard objects, platform events and permission sets with custom
 * permissions. Only what describes and permission checks need is kept.
 */

export interface CustomFieldMeta {
  fullName: string;
  label: string;
  type: string;
  length?: number;
  precision?: number;
  scale?: number;
  visibleLines?: number;
  required: boolean;
  unique: boolean;
  externalId: boolean;
  caseSensitive: boolean;
  defaultValue?: string;
  referenceTo?: string;
  relationshipName?: string;
  formula?: string;
  formulaType?: string;
  picklistValues: { value: string; label: string; isDefault: boolean }[];
  restrictedPicklist: boolean;
  description?: string;
  inlineHelpText?: string;
}

export interface CustomObjectMeta {
  /** API name as in the folder name (Account, Thing__c, Event__e). */
  name: string;
  label?: string;
  pluralLabel?: string;
  nameFieldLabel?: string;
  nameFieldType?: string;
  sharingModel?: string;
  eventType?: string;
  /** `Hierarchy` or `List` for a custom setting (`<customSettingsType>`). */
  customSettingsType?: string;
  fields: CustomFieldMeta[];
}

export interface PermissionSetMeta {
  name: string;
  label: string;
  customPermissions: string[];
}

export interface ForceAppMetadata {
  objects: CustomObjectMeta[];
  permissionSets: PermissionSetMeta[];
  customPermissions: string[];
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => ['fields', 'value', 'customPermissions', 'fieldPermissions'].includes(name),
});

type XmlNode = Record<string, unknown>;

function text(node: XmlNode, key: string): string | undefined {
  const v = node[key];
  return typeof v === 'string' ? v : undefined;
}

function bool(node: XmlNode, key: string): boolean {
  return text(node, key) === 'true';
}

function num(node: XmlNode, key: string): number | undefined {
  const v = text(node, key);
  return v === undefined ? undefined : Number(v);
}

function parseFile(path: string, root: string): XmlNode {
  const doc = parser.parse(readFileSync(path, 'utf8')) as XmlNode;
  return (doc[root] as XmlNode | undefined) ?? {};
}

export function parseCustomField(node: XmlNode): CustomFieldMeta {
  const valueSet = (node['valueSet'] as XmlNode | undefined) ?? {};
  const definition = (valueSet['valueSetDefinition'] as XmlNode | undefined) ?? {};
  const values = (definition['value'] as XmlNode[] | undefined) ?? [];
  return {
    fullName: text(node, 'fullName') ?? '',
    label: text(node, 'label') ?? text(node, 'fullName') ?? '',
    type: text(node, 'type') ?? (text(node, 'formula') ? 'Formula' : 'Text'),
    length: num(node, 'length'),
    precision: num(node, 'precision'),
    scale: num(node, 'scale'),
    visibleLines: num(node, 'visibleLines'),
    required: bool(node, 'required'),
    unique: bool(node, 'unique'),
    externalId: bool(node, 'externalId'),
    caseSensitive: bool(node, 'caseSensitive'),
    defaultValue: text(node, 'defaultValue'),
    referenceTo: text(node, 'referenceTo'),
    relationshipName: text(node, 'relationshipName'),
    formula: text(node, 'formula'),
    formulaType: text(node, 'formulaType') ?? text(node, 'type'),
    picklistValues: values.map((v) => ({
      value: text(v, 'fullName') ?? '',
      label: text(v, 'label') ?? text(v, 'fullName') ?? '',
      isDefault: bool(v, 'default'),
    })),
    restrictedPicklist: bool(valueSet, 'restricted'),
    description: text(node, 'description'),
    inlineHelpText: text(node, 'inlineHelpText'),
  };
}

function readObject(dir: string): CustomObjectMeta {
  const name = basename(dir);
  const objectFile = join(dir, `${name}.object-meta.xml`);
  const node = existsSync(objectFile) ? parseFile(objectFile, 'CustomObject') : {};
  const nameField = (node['nameField'] as XmlNode | undefined) ?? {};
  const inline = ((node['fields'] as XmlNode[] | undefined) ?? []).map(parseCustomField);
  const fieldDir = join(dir, 'fields');
  const files = existsSync(fieldDir)
    ? readdirSync(fieldDir)
        .filter((f) => f.endsWith('.field-meta.xml'))
        .sort()
        .map((f) => parseCustomField(parseFile(join(fieldDir, f), 'CustomField')))
    : [];
  return {
    name,
    label: text(node, 'label'),
    pluralLabel: text(node, 'pluralLabel'),
    nameFieldLabel: text(nameField, 'label'),
    nameFieldType: text(nameField, 'type'),
    sharingModel: text(node, 'sharingModel'),
    eventType: text(node, 'eventType'),
    customSettingsType: text(node, 'customSettingsType'),
    fields: [...inline, ...files],
  };
}

function readPermissionSets(dir: string): PermissionSetMeta[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.permissionset-meta.xml'))
    .sort()
    .map((f) => {
      const node = parseFile(join(dir, f), 'PermissionSet');
      const perms = (node['customPermissions'] as XmlNode[] | undefined) ?? [];
      return {
        name: f.replace('.permissionset-meta.xml', ''),
        label: text(node, 'label') ?? f.replace('.permissionset-meta.xml', ''),
        customPermissions: perms
          .filter((p) => bool(p, 'enabled'))
          .map((p) => text(p, 'name') ?? ''),
      };
    });
}

/** Reads `<packageDir>/main/default`; a missing directory yields empty metadata. */
export function readForceApp(packageDir: string | undefined): ForceAppMetadata {
  const empty: ForceAppMetadata = { objects: [], permissionSets: [], customPermissions: [] };
  if (!packageDir) return empty;
  const root = join(packageDir, 'main', 'default');
  if (!existsSync(root)) return empty;
  const objectsDir = join(root, 'objects');
  const objects = existsSync(objectsDir)
    ? readdirSync(objectsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
        .map((n) => readObject(join(objectsDir, n)))
    : [];
  const cpDir = join(root, 'customPermissions');
  const customPermissions = existsSync(cpDir)
    ? readdirSync(cpDir)
        .filter((f) => f.endsWith('.customPermission-meta.xml'))
        .map((f) => f.replace('.customPermission-meta.xml', ''))
        .sort()
    : [];
  return {
    objects,
    permissionSets: readPermissionSets(join(root, 'permissionsets')),
    customPermissions,
  };
}
