import { LightningElement, api } from 'lwc';
import { can, listAll, request, workspacePath } from 'pryzm/api';
import { showToast } from 'pryzm/toast';

/** The package's external-ID field, with or without the `pryzm__` namespace. */
const PRYZM_ID_FIELD = /^(pryzm__)?Pryzm_ID__c$/i;

/**
 * The setup checklist of one connection, mirroring the package's own in the org: package
 * installed, Pryzm_ID__c valid, mapping valid, first pull done; each step says how to fix it.
 */
export default class SetupChecklist extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;
  @api connectionId;

  steps = [];
  loading = true;
  busy = false;

  connectedCallback() {
    this.check();
  }

  get base() {
    return workspacePath(this.workspaceId, `/connections/${this.connectionId}`);
  }

  async check() {
    this.loading = true;
    const [account, mappings, jobs] = await Promise.all([
      request(`${this.base}/describe/Account`).catch(() => null),
      listAll(`${this.base}/mappings`).catch(() => []),
      request(
        workspacePath(
          this.workspaceId,
          `/jobs?connectionId=${this.connectionId}&kind=pull&limit=20`,
        ),
      ).catch(() => ({ data: [] })),
    ]);
    const field = (account?.describe?.fields || []).find((f) => PRYZM_ID_FIELD.test(f.name));
    const enabled = mappings.filter((m) => m.enabled !== false);
    const invalid = enabled.filter((m) => m.validation && m.validation.valid === false);
    const pulled = jobs.data.some((job) =>
      ['succeeded', 'partially_succeeded'].includes(job.status),
    );
    this.steps = [
      {
        id: 'package',
        label: 'Pryzm package installed',
        done: Boolean(field),
        fix: 'Install the Pryzm package in the org and assign the Pryzm Integration permission set to the integration user.',
      },
      {
        id: 'pryzm-id',
        label: 'Pryzm_ID__c is an External ID and Unique',
        done: Boolean(field && field.externalId && field.unique),
        fix: 'In Setup → Object Manager → Account → Pryzm ID, tick External ID and Unique.',
      },
      {
        id: 'mapping',
        label: 'Mappings valid against the org',
        done: enabled.length > 0 && invalid.length === 0,
        fix:
          enabled.length === 0
            ? 'Save the default mappings (Account, Contact, Opportunity).'
            : `Fix ${invalid.map((m) => m.salesforceObject).join(', ')} on the Mapping page.`,
        action: enabled.length === 0 && can('integrations:manage') ? 'defaults' : null,
        href: enabled.length > 0 ? '#/mapping' : null,
      },
      {
        id: 'pull',
        label: 'First pull done',
        done: pulled,
        fix: 'Pull every mapped record once from the Sync data page.',
        href: '#/sync',
      },
    ];
    this.loading = false;
  }

  get items() {
    return this.steps.map((step) => ({
      ...step,
      iconClass: `slds-icon slds-icon_x-small ${step.done ? 'slds-icon-text-success' : 'slds-icon-text-warning'}`,
      iconHref: `assets/icons/utility-sprite/svg/symbols.svg#${step.done ? 'success' : 'warning'}`,
      status: step.done ? 'Done' : 'To do',
      showFix: !step.done,
      showDefaults: !step.done && step.action === 'defaults',
      showLink: !step.done && Boolean(step.href),
    }));
  }

  get summary() {
    const done = this.steps.filter((step) => step.done).length;
    return `${done} of ${this.steps.length} done`;
  }

  async handleDefaults() {
    this.busy = true;
    try {
      const answer = await request(`${this.base}/mappings/defaults`, { method: 'POST', body: {} });
      showToast(this, {
        title: 'Default mappings saved',
        message: (answer.saved || []).map((m) => m.salesforceObject).join(', '),
        variant: 'success',
      });
      await this.check();
    } catch (error) {
      showToast(this, { title: 'Not saved', message: error.message, variant: 'error' });
    } finally {
      this.busy = false;
    }
  }
}
