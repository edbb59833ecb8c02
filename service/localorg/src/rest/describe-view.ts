import type { SObjectDescribe } from '../core/contracts.ts';
import { URL_VERSION_PLACEHOLDER } from '../schema/object-describe.ts';

/** Describes as served for one API version: the version substituted into `urls`. */

function versionedUrls(urls: Record<string, string>, version: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(urls))
    out[k] = v.replace(URL_VERSION_PLACEHOLDER, `v${version}`);
  return out;
}

export function describeForVersion(d: SObjectDescribe, version: string): SObjectDescribe {
  return { ...d, urls: versionedUrls(d.urls, version) };
}

const GLOBAL_KEYS = [
  'activateable',
  'associateEntityType',
  'associateParentEntity',
  'createable',
  'custom',
  'customSetting',
  'deepCloneable',
  'deletable',
  'deprecatedAndHidden',
  'feedEnabled',
  'hasSubtypes',
  'isInterface',
  'isSubtype',
  'keyPrefix',
  'label',
  'labelPlural',
  'layoutable',
  'mergeable',
  'mruEnabled',
  'name',
  'queryable',
  'replicateable',
  'retrieveable',
  'searchable',
  'triggerable',
  'undeletable',
  'updateable',
];

/** One `sobjects` entry of describeGlobal (and `objectDescribe` of the basic info resource). */
export function globalEntry(d: SObjectDescribe, version: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of GLOBAL_KEYS) out[k] = d[k] ?? null;
  const urls = versionedUrls(d.urls, version);
  out['urls'] = {
    compactLayouts: urls['compactLayouts'],
    rowTemplate: urls['rowTemplate'],
    approvalLayouts: urls['approvalLayouts'],
    defaultValues: urls['defaultValues'],
    listviews: urls['listviews'],
    describe: urls['describe'],
    quickActions: urls['quickActions'],
    layouts: urls['layouts'],
    sobject: urls['sobject'],
  };
  return out;
}
