/**
 * The Custom Labels of the Pryzm components, so admins can translate every string they show
 * (Setup > Custom Labels, or Translation Workbench), and a formatter for their {0} placeholders.
 */
import cardTitle from '@salesforce/label/c.Pryzm_Card_Title';
import loadingSyncState from '@salesforce/label/c.Pryzm_Loading_Sync_State';
import pushLabel from '@salesforce/label/c.Pryzm_Push_Label';
import pushingLabel from '@salesforce/label/c.Pryzm_Pushing_Label';
import needUserPermission from '@salesforce/label/c.Pryzm_Need_User_Permission';
import syncStateFailed from '@salesforce/label/c.Pryzm_Sync_State_Failed';
import fieldPryzmId from '@salesforce/label/c.Pryzm_Field_Pryzm_Id';
import fieldLastSynced from '@salesforce/label/c.Pryzm_Field_Last_Synced';
import fieldSyncStatus from '@salesforce/label/c.Pryzm_Field_Sync_Status';
import fieldLastError from '@salesforce/label/c.Pryzm_Field_Last_Error';
import notLinked from '@salesforce/label/c.Pryzm_Not_Linked';
import neverSynced from '@salesforce/label/c.Pryzm_Never_Synced';
import never from '@salesforce/label/c.Pryzm_Never';
import waitingForResult from '@salesforce/label/c.Pryzm_Waiting_For_Result';
import pushedTitle from '@salesforce/label/c.Pryzm_Pushed_Title';
import pushedMessage from '@salesforce/label/c.Pryzm_Pushed_Message';
import conflictTitle from '@salesforce/label/c.Pryzm_Conflict_Title';
import conflictMessage from '@salesforce/label/c.Pryzm_Conflict_Message';
import pushFailedTitle from '@salesforce/label/c.Pryzm_Push_Failed_Title';
import pushFailedMessage from '@salesforce/label/c.Pryzm_Push_Failed_Message';
import connectionDropped from '@salesforce/label/c.Pryzm_Connection_Dropped';
import cannotListen from '@salesforce/label/c.Pryzm_Cannot_Listen';
import stillWaitingTitle from '@salesforce/label/c.Pryzm_Still_Waiting_Title';
import stillWaitingMessage from '@salesforce/label/c.Pryzm_Still_Waiting_Message';
import requestedTitle from '@salesforce/label/c.Pryzm_Requested_Title';
import requestedMessage from '@salesforce/label/c.Pryzm_Requested_Message';
import close from '@salesforce/label/c.Pryzm_Close';
import setupTitle from '@salesforce/label/c.Pryzm_Setup_Title';
import recheckAll from '@salesforce/label/c.Pryzm_Recheck_All';
import checkingSetup from '@salesforce/label/c.Pryzm_Checking_Setup';
import needAdminTitle from '@salesforce/label/c.Pryzm_Need_Admin_Title';
import needAdminMessage from '@salesforce/label/c.Pryzm_Need_Admin_Message';
import checksFailed from '@salesforce/label/c.Pryzm_Checks_Failed';
import checksCouldNotRun from '@salesforce/label/c.Pryzm_Checks_Could_Not_Run';
import statusComplete from '@salesforce/label/c.Pryzm_Status_Complete';
import statusIncomplete from '@salesforce/label/c.Pryzm_Status_Incomplete';
import statusError from '@salesforce/label/c.Pryzm_Status_Error';
import statusBlocked from '@salesforce/label/c.Pryzm_Status_Blocked';
import stepTitle from '@salesforce/label/c.Pryzm_Step_Title';
import fix from '@salesforce/label/c.Pryzm_Fix';
import recheck from '@salesforce/label/c.Pryzm_Recheck';
import checking from '@salesforce/label/c.Pryzm_Checking';
import recheckStep from '@salesforce/label/c.Pryzm_Recheck_Step';
import allComplete from '@salesforce/label/c.Pryzm_All_Complete';
import stepsComplete from '@salesforce/label/c.Pryzm_Steps_Complete';
import nextStep from '@salesforce/label/c.Pryzm_Next_Step';
import stepComplete from '@salesforce/label/c.Pryzm_Step_Complete';
import recheckFailed from '@salesforce/label/c.Pryzm_Recheck_Failed';

export const LABELS = {
  cardTitle,
  loadingSyncState,
  pushLabel,
  pushingLabel,
  needUserPermission,
  syncStateFailed,
  fieldPryzmId,
  fieldLastSynced,
  fieldSyncStatus,
  fieldLastError,
  notLinked,
  neverSynced,
  never,
  waitingForResult,
  pushedTitle,
  pushedMessage,
  conflictTitle,
  conflictMessage,
  pushFailedTitle,
  pushFailedMessage,
  connectionDropped,
  cannotListen,
  stillWaitingTitle,
  stillWaitingMessage,
  requestedTitle,
  requestedMessage,
  close,
  setupTitle,
  recheckAll,
  checkingSetup,
  needAdminTitle,
  needAdminMessage,
  checksFailed,
  checksCouldNotRun,
  statusComplete,
  statusIncomplete,
  statusError,
  statusBlocked,
  stepTitle,
  fix,
  recheck,
  checking,
  recheckStep,
  allComplete,
  stepsComplete,
  nextStep,
  stepComplete,
  recheckFailed,
};

/**
 * Replaces {0}, {1}, ... in a label with the arguments, as Apex String.format does.
 * @param {string} label a Custom Label's value
 * @param {...unknown} args the values
 * @returns {string} the text
 */
export function format(label, ...args) {
  return String(label).replace(/\{(\d+)\}/g, (match, index) => {
    return args[index] === undefined ? match : String(args[index]);
  });
}
