/**
 * `lightning/uiRecordApi`, the part the package uses: notifyRecordUpdateAvailable tells
 * Lightning Data Service that records changed on the server so every component showing them
 * reloads. The local org's record page has no Lightning Data Service cache; its record details
 * listen for this notice and read the record again.
 * https://developer.salesforce.com/docs/platform/lwc/guide/reference-notify-record-update.html
 */
export const RECORD_UPDATE_EVENT = 'localorg:recordupdateavailable';

export function notifyRecordUpdateAvailable(recordIdentifiers) {
  const recordIds = (recordIdentifiers || []).map((entry) => entry.recordId);
  window.dispatchEvent(new CustomEvent(RECORD_UPDATE_EVENT, { detail: { recordIds } }));
  return Promise.resolve();
}
