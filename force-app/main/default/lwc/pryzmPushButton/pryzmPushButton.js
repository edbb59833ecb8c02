import { LightningElement, api, wire } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { refreshApex } from '@salesforce/apex';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { subscribe, unsubscribe, onError, isEmpEnabled } from 'lightning/empApi';
import getPushContext from '@salesforce/apex/PryzmPushController.getPushContext';
import requestPush from '@salesforce/apex/PryzmPushController.requestPush';
import { isNoAccessError, reduceErrors } from 'c/pryzmErrors';
import { LABELS, format } from 'c/pryzmLabels';

/** How long to wait for the Pryzm Sync Result before telling the user it is still running. */
export const RESULT_TIMEOUT_MS = 30000;

// empApi replay id -1: only events published after subscribing.
const NEW_EVENTS_ONLY = -1;

const OUTCOMES = {
  Success: { variant: 'success', title: LABELS.pushedTitle, fallback: LABELS.pushedMessage },
  Conflict: { variant: 'warning', title: LABELS.conflictTitle, fallback: LABELS.conflictMessage },
  Error: { variant: 'error', title: LABELS.pushFailedTitle, fallback: LABELS.pushFailedMessage },
};

/**
 * Shows a record's Pryzm ID and sync state and pushes the record to Pryzm: Apex publishes a Pryzm
 * Push Request, and the component waits on empApi for the Pryzm Sync Result with the same
 * correlation id. Where empApi is unavailable (it is desktop-only: the Salesforce mobile app has no
 * streaming client, lightning/empApi documentation), the push is still requested and the component
 * says so instead of waiting for a result it cannot receive.
 */
export default class PryzmPushButton extends LightningElement {
  @api recordId;
  @api objectApiName;

  context;
  contextError;
  wiredContext;
  isPushing = false;
  outcome;

  subscription;
  timer;
  correlationId;
  earlyResults = [];
  labels = LABELS;

  @wire(getPushContext, { recordId: '$recordId' })
  wiredPushContext(result) {
    this.wiredContext = result;
    if (result.data) {
      this.context = result.data;
      this.contextError = undefined;
    } else if (result.error) {
      this.context = undefined;
      this.contextError = reduceErrors(result.error);
    }
  }

  connectedCallback() {
    onError((error) => {
      if (this.isPushing) {
        this.finish(
          'error',
          LABELS.pushFailedTitle,
          format(LABELS.connectionDropped, reduceErrors(error)),
        );
      }
    });
  }

  disconnectedCallback() {
    this.stopListening();
  }

  // Without Pryzm User the Apex class itself is off limits; say what to ask for, not that it broke.
  get noAccess() {
    return isNoAccessError(this.contextError);
  }

  get noAccessReason() {
    return LABELS.needUserPermission;
  }

  get contextErrorText() {
    return format(LABELS.syncStateFailed, this.contextError);
  }

  get isLoading() {
    return !this.context && !this.contextError;
  }

  get isDisabled() {
    return !this.context || !this.context.canPush || this.isPushing;
  }

  get disabledReason() {
    return this.context && !this.context.canPush ? this.context.reason : undefined;
  }

  get pryzmIdText() {
    return this.context.pryzmId || LABELS.notLinked;
  }

  get syncStatusText() {
    return this.context.syncStatus || LABELS.neverSynced;
  }

  get pushLabel() {
    return this.isPushing ? LABELS.pushingLabel : LABELS.pushLabel;
  }

  get outcomeClass() {
    const tone = {
      info: 'slds-text-color_weak',
      success: 'slds-text-color_success',
      warning: 'slds-text-color_weak',
      error: 'slds-text-color_error',
    };
    return `outcome slds-m-top_x-small ${tone[this.outcome.variant]}`;
  }

  async handlePush() {
    if (this.isDisabled) {
      return;
    }
    this.isPushing = true;
    this.outcome = undefined;
    this.correlationId = undefined;
    this.earlyResults = [];
    if ((await isEmpEnabled()) === false) {
      await this.pushWithoutResult();
      return;
    }
    try {
      // Subscribe before publishing so a fast answer cannot slip past.
      this.subscription = await subscribe(this.context.resultChannel, NEW_EVENTS_ONLY, (message) =>
        this.handleResultMessage(message),
      );
    } catch (error) {
      this.finish(
        'error',
        LABELS.pushFailedTitle,
        format(LABELS.cannotListen, reduceErrors(error)),
      );
      return;
    }
    try {
      this.correlationId = await requestPush({ recordId: this.recordId });
    } catch (error) {
      this.finish('error', LABELS.pushFailedTitle, reduceErrors(error));
      return;
    }
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.timer = setTimeout(() => this.handleTimeout(), RESULT_TIMEOUT_MS);
    const early = this.earlyResults.find((payload) => this.isOurs(payload));
    if (early) {
      this.applyResult(early);
    }
  }

  async pushWithoutResult() {
    try {
      await requestPush({ recordId: this.recordId });
      this.finish('info', LABELS.requestedTitle, LABELS.requestedMessage);
    } catch (error) {
      this.finish('error', LABELS.pushFailedTitle, reduceErrors(error));
    }
  }

  handleResultMessage(message) {
    const payload = message && message.data && message.data.payload;
    if (!payload || !this.isPushing) {
      return;
    }
    if (!this.correlationId) {
      this.earlyResults.push(payload);
    } else if (this.isOurs(payload)) {
      this.applyResult(payload);
    }
  }

  isOurs(payload) {
    return this.field(payload, 'Correlation_Id__c') === this.correlationId;
  }

  applyResult(payload) {
    const view = OUTCOMES[this.field(payload, 'Status__c')] || OUTCOMES.Error;
    this.finish(view.variant, view.title, this.field(payload, 'Message__c') || view.fallback);
    notifyRecordUpdateAvailable([{ recordId: this.recordId }]);
    refreshApex(this.wiredContext);
  }

  handleTimeout() {
    this.timer = undefined;
    this.finish(
      'warning',
      LABELS.stillWaitingTitle,
      format(LABELS.stillWaitingMessage, RESULT_TIMEOUT_MS / 1000),
    );
  }

  finish(variant, title, message) {
    this.stopListening();
    this.isPushing = false;
    this.outcome = { variant, message };
    this.dispatchEvent(new ShowToastEvent({ variant, title, message }));
  }

  stopListening() {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.subscription) {
      unsubscribe(this.subscription, () => {});
      this.subscription = undefined;
    }
  }

  field(payload, name) {
    return payload[`${this.context.fieldPrefix || ''}${name}`];
  }
}
