/**
 * Tells the org which change source a connection listens to, so the package's Flows publish
 * `Pryzm_Record_Change__e` only when it is `flows` and the org does not spend its event
 * allocations twice. The setting is the org-wide default row of the package's Hierarchy Custom
 * Setting `Pryzm_Settings__c` (`SetupOwnerId` = the org id), field `Change_Source__c`, written
 * through REST as the integration user; a Flow reads it as `$Setup.Pryzm_Settings__c`.
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_methods_system_custom_settings.htm
 */
import { SalesforceApiError, type SalesforceClient } from '../../salesforce/client.ts';
import { PACKAGE_NAMESPACE } from '../../salesforce/namespace.ts';
import { restQuery } from '../../salesforce/rest-query.ts';

export const CHANGE_SOURCES = ['flows', 'cdc', 'paused'] as const;
export type ChangeSource = (typeof CHANGE_SOURCES)[number];

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Writes `Change_Source__c` on the org-default row, creating the row when there is none. */
export async function writeChangeSourceSetting(
  client: SalesforceClient,
  orgId: string,
  source: ChangeSource,
): Promise<void> {
  if (!ID.test(orgId)) throw new Error(`Not an org id: ${orgId}`);
  let lastError: unknown;
  // A managed install names the setting and its field with the namespace; a plain deploy not.
  for (const ns of [`${PACKAGE_NAMESPACE}__`, '']) {
    const object = `${ns}Pryzm_Settings__c`;
    const field = `${ns}Change_Source__c`;
    try {
      let rowId: string | undefined;
      for await (const page of restQuery<{ Id: string }>(
        client,
        `SELECT Id FROM ${object} WHERE SetupOwnerId = '${orgId}'`,
      )) {
        rowId ??= page[0]?.Id;
      }
      if (rowId) {
        await client.fetch(client.dataPath(`sobjects/${object}/${rowId}`), {
          method: 'PATCH',
          body: JSON.stringify({ [field]: source }),
        });
      } else {
        await client.fetch(client.dataPath(`sobjects/${object}`), {
          method: 'POST',
          body: JSON.stringify({ SetupOwnerId: orgId, [field]: source }),
        });
      }
      return;
    } catch (error) {
      lastError = error;
      // Only "no such object" sends us to the other name; anything else is the answer.
      if (!(error instanceof SalesforceApiError) || error.errorCode !== 'INVALID_TYPE') throw error;
    }
  }
  throw lastError;
}
