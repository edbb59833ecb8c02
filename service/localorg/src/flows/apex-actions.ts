/**
 * Native stand-ins for the package's invocable Apex actions, so the local org runs the same Flows
 * an org runs. `PryzmRecordChangePublisher` publishes one Pryzm Record Change event per created or
 * deleted record and per update that changed a synced field, reading the synced fields from the
 * Pryzm Settings custom setting's org default row, or the default lists of the Apex class itself
 * (read from its source, so the two cannot drift apart).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageFieldValue } from '../events/package-names.ts';
import type { ActionInvocation, NativeAction } from './flow-model.ts';

export type ApexActionResolver = (actionName: string) => NativeAction | undefined;

type Fields = Record<string, unknown>;

/** `'Account' => new List<String>{ 'Name', ... }` entries of the class's DEFAULT_FIELDS map. */
export function defaultSyncedFields(apexSource: string): Map<string, string[]> {
  const block = /DEFAULT_FIELDS = new Map<String, List<String>>\{([\s\S]*?)\n {2}\};/.exec(
    apexSource,
  )?.[1];
  const defaults = new Map<string, string[]>();
  for (const [, objectName, list] of (block ?? '').matchAll(
    /'(\w+)' => new List<String>\{([^}]*)\}/g,
  )) {
    defaults.set(
      objectName!,
      [...list!.matchAll(/'(\w+)'/g)].map((match) => match[1]!),
    );
  }
  return defaults;
}

function valueOf(record: Fields | undefined, field: string): unknown {
  if (!record) return null;
  const key = Object.keys(record).find((k) => k.toLowerCase() === field.toLowerCase());
  return (key === undefined ? packageFieldValue(record, field) : record[key]) ?? null;
}

function namespacePrefix(objectOrField: string): string {
  return /^([A-Za-z0-9]+)__\w+__[a-z]+$/.exec(objectOrField)?.[1]?.concat('__') ?? '';
}

export function recordChangePublisher(defaults: Map<string, string[]>): NativeAction {
  return (call: ActionInvocation) => {
    const settings = call.orgSetting('Pryzm_Settings__c');
    const source = String(valueOf(settings, 'Change_Source__c') ?? '')
      .trim()
      .toLowerCase();
    if (source !== '' && source !== 'flows') return;
    const record = call.inputs.get('record') as Fields | undefined;
    if (!record) return;
    const prior = call.inputs.get('priorRecord') as Fields | undefined;
    const changeType = String(call.inputs.get('changeType') ?? 'UPDATE').toUpperCase();
    const objectName = call.objectName.replace(/^[A-Za-z0-9]+__(?=\w+__c$)/, '');
    // The package's own fields carry its namespace where the org has one, as in the Apex.
    const idField = Object.keys(record).find((k) => /(^|__)Pryzm_ID__c$/i.test(k)) ?? 'Pryzm_ID__c';
    let changedFields = '';
    if (changeType === 'UPDATE') {
      const configured = String(valueOf(settings, `${objectName}_Fields__c`) ?? '');
      const watched = configured.trim()
        ? configured
            .split(',')
            .map((field) => field.trim())
            .filter(Boolean)
        : (defaults.get(objectName) ?? []);
      const changed = [...watched, `${namespacePrefix(idField)}Pryzm_ID__c`].filter(
        (field) => valueOf(record, field) !== valueOf(prior, field),
      );
      if (changed.length === 0) return;
      changedFields = changed.join(',');
    }
    call.publish('Pryzm_Record_Change__e', {
      Record_Id__c: valueOf(record, 'Id'),
      Object_Name__c: objectName,
      Change_Type__c: changeType,
      Changed_Fields__c: changedFields,
      Pryzm_Id__c: valueOf(record, idField),
      Origin_User_Id__c: call.userId,
      Changed_At__c: call.now,
    });
  };
}

/** The stand-ins for the Apex classes of a `force-app/main/default` folder. */
export function apexActionResolver(metadataDir: string): ApexActionResolver {
  return (actionName) => {
    const name = actionName.replace(/^[A-Za-z0-9]+__/, '');
    const file = join(metadataDir, 'classes', `${name}.cls`);
    if (name !== 'PryzmRecordChangePublisher' || !existsSync(file)) return undefined;
    return recordChangePublisher(defaultSyncedFields(readFileSync(file, 'utf8')));
  };
}
