import { LightningElement } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getChecklist from '@salesforce/apex/PryzmSetupController.getChecklist';
import recheckStep from '@salesforce/apex/PryzmSetupController.recheckStep';
import { isNoAccessError, reduceErrors } from 'c/pryzmErrors';
import { LABELS, format } from 'c/pryzmLabels';

const STATUS_VIEWS = {
  complete: { label: LABELS.statusComplete, iconName: 'utility:success', iconVariant: 'success' },
  incomplete: {
    label: LABELS.statusIncomplete,
    iconName: 'utility:warning',
    iconVariant: 'warning',
  },
  error: { label: LABELS.statusError, iconName: 'utility:error', iconVariant: 'error' },
  blocked: { label: LABELS.statusBlocked, iconName: 'utility:clock', iconVariant: '' },
};

/**
 * The in-org setup guide: runs the setup checks in Apex and shows each step with its status, a
 * one-line fix and a recheck button.
 */
export default class PryzmSetupChecklist extends LightningElement {
  steps = [];
  isLoading = true;
  error;
  recheckingKeys = [];
  labels = LABELS;

  connectedCallback() {
    this.loadChecklist();
  }

  async loadChecklist() {
    this.isLoading = true;
    this.error = undefined;
    try {
      this.steps = await getChecklist();
    } catch (error) {
      this.steps = [];
      this.error = reduceErrors(error) || LABELS.checksCouldNotRun;
    } finally {
      this.isLoading = false;
    }
  }

  get noAccess() {
    return isNoAccessError(this.error);
  }

  get needAdminMessage() {
    return format(LABELS.needAdminMessage, this.error);
  }

  get errorText() {
    return format(LABELS.checksFailed, this.error);
  }

  get items() {
    return [...this.steps]
      .sort((a, b) => a.order - b.order)
      .map((step) => {
        const view = STATUS_VIEWS[step.status] || STATUS_VIEWS.incomplete;
        const isRechecking = this.recheckingKeys.includes(step.key);
        return {
          ...step,
          statusLabel: view.label,
          iconName: view.iconName,
          iconVariant: view.iconVariant,
          showFix: step.status !== 'complete' && !!step.fix,
          isRechecking,
          heading: format(LABELS.stepTitle, step.order, step.label),
          fixText: format(LABELS.fix, step.fix),
          recheckLabel: isRechecking ? LABELS.checking : LABELS.recheck,
          // Every step's button says which step it rechecks, so screen readers can tell them apart.
          recheckName: format(LABELS.recheckStep, step.order, step.label),
          headingId: `step-${step.key}`,
        };
      });
  }

  get completedCount() {
    return this.steps.filter((step) => step.status === 'complete').length;
  }

  get progress() {
    return this.steps.length ? Math.round((this.completedCount / this.steps.length) * 100) : 0;
  }

  get summary() {
    if (this.steps.length && this.completedCount === this.steps.length) {
      return LABELS.allComplete;
    }
    const next = this.items.find((step) => step.status !== 'complete');
    const nextText = next ? ` ${format(LABELS.nextStep, next.label)}` : '';
    return `${format(LABELS.stepsComplete, this.completedCount, this.steps.length)}${nextText}`;
  }

  handleRecheckAll() {
    this.loadChecklist();
  }

  async handleRecheck(event) {
    const key = event.currentTarget.dataset.key;
    this.recheckingKeys = [...this.recheckingKeys, key];
    try {
      const updated = await recheckStep({ key });
      this.steps = this.steps.map((step) => (step.key === key ? updated : step));
      if (updated.status === 'complete') {
        this.toast('success', format(LABELS.stepComplete, updated.label), updated.detail);
      }
    } catch (error) {
      this.toast('error', LABELS.recheckFailed, reduceErrors(error));
    } finally {
      this.recheckingKeys = this.recheckingKeys.filter((k) => k !== key);
    }
  }

  toast(variant, title, message) {
    this.dispatchEvent(new ShowToastEvent({ variant, title, message }));
  }
}
