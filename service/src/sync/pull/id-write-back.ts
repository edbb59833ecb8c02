import { COLLECTION_SIZE, updateRecords } from '../../salesforce/collections.ts';
import type { SalesforceClient } from '../../salesforce/client.ts';
import type { Repositories } from '../../store/repositories/index.ts';
import type { JobRun } from '../jobs/job-run.ts';

/**
 * Writes each new link's Pryzm id into the Salesforce record's `Pryzm_ID__c`, 200 records per
 * sObject Collections call, and marks the links written. Links stay marked unwritten until
 * Salesforce takes the value, so a crash in between only repeats the same update. A record
 * Salesforce refuses (a validation rule, a locked record) is reported once per job and retried
 * by the next one.
 */
export async function writeBackPryzmIds(
  store: Pick<Repositories, 'syncJobs' | 'syncPages'>,
  client: SalesforceClient,
  run: JobRun,
  target: {
    connectionId: string;
    salesforceObject: string;
    linkObject: string;
    pryzmIdField: string;
  },
): Promise<void> {
  const refused = new Set<string>();
  for (;;) {
    const pending = (
      await store.syncPages.linksAwaitingIdWriteBack(
        target.connectionId,
        target.linkObject,
        COLLECTION_SIZE + refused.size,
      )
    )
      .filter((link) => !refused.has(link.salesforceId))
      .slice(0, COLLECTION_SIZE);
    if (pending.length === 0) return;
    const results = await updateRecords(
      client,
      pending.map((link) => ({
        Id: link.salesforceId,
        attributes: { type: target.salesforceObject },
        [target.pryzmIdField]: link.recordId,
      })),
    );
    const written: string[] = [];
    const failures: Parameters<typeof store.syncJobs.addResults>[2] = [];
    results.forEach((result, index) => {
      const link = pending[index]!;
      if (result.success) {
        written.push(link.salesforceId);
        return;
      }
      refused.add(link.salesforceId);
      const error = result.errors[0];
      failures.push({
        salesforceId: link.salesforceId,
        recordId: link.recordId,
        action: 'skipped',
        errorCode: 'pryzm_id_not_written',
        errorMessage: `Salesforce refused ${target.pryzmIdField}: ${error?.statusCode ?? 'UNKNOWN'}: ${error?.message ?? ''}`,
      });
    });
    await store.syncPages.markIdsWrittenBack(target.connectionId, written);
    await store.syncJobs.addResults(run.job.id, target.linkObject, failures);
  }
}
