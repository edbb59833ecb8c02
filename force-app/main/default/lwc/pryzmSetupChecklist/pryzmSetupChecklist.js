import { LightningElement } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getChecklist from '@salesforce/apex/PryzmSetupController.getChecklist';
import recheckStep from '@salesforce/apex/PryzmSetupController.recheckStep';
import { isNoAccessError, reduceErrors } from 'c/pryzmErrors';

const STATUS_VIEWS = {
  complete: { label: 'Complete', iconName: 'utility:success', iconVariant: 'success' },
  incomplete: { label: 'To do', iconName: 'utility:warning', iconVariant: 'warning' },
  error: { label: 'Error', iconName: 'utility:error', iconVariant: 'error' },
  blocked: { label: 'Waiting on an earlier step', iconName: 'utility:clock', iconVariant: '' },
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
      this.error = reduceErrors(error) || 'The setup checks could not run.';
    } finally {
      this.isLoading = false;
    }
  }

  get noAccess() {
    return isNoAccessError(this.error);
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
          recheckLabel: isRechecking ? 'Checking…' : 'Recheck',
          recheckTitle: `Recheck: ${step.label}`,
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
      return 'Pryzm is set up: every step is complete.';
    }
    const next = this.items.find((step) => step.status !== 'complete');
    const nextText = next ? ` Next: ${next.label}.` : '';
    return `${this.completedCount} of ${this.steps.length} steps complete.${nextText}`;
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
        this.toast('success', `${updated.label}: complete`, updated.detail);
      }
    } catch (error) {
      this.toast('error', 'The step could not be rechecked', reduceErrors(error));
    } finally {
      this.recheckingKeys = this.recheckingKeys.filter((k) => k !== key);
    }
  }

  toast(variant, title, message) {
    this.dispatchEvent(new ShowToastEvent({ variant, title, message }));
  }
}
