import { LightningElement, api } from 'lwc';
import { listAll, request } from 'pryzm/api';
import { accessPath, actionLabel, statusBadge } from 'pryzm/accessData';

const CHANGE_COLUMNS = [
  { label: 'Record' },
  { label: 'Change' },
  { label: 'Status' },
  { label: 'Detail' },
];

/** Which list offers the choice an action still needs (`null` in the request). */
const CHOICES = {
  permissionSetId: { list: 'permission-sets', label: 'Permission set' },
  permissionSetGroupId: { list: 'permission-set-groups', label: 'Permission set group' },
  roleId: { list: 'roles', label: 'Role' },
  groupId: { list: 'groups', label: 'Public group or queue' },
  permissionSetLicenseId: { list: 'permission-set-licences', label: 'Permission set licence' },
  packageLicenseId: { list: 'package-licences', label: 'Package licence' },
};

/** Actions that take access away or cannot be undone from here: a red confirm button. */
const TAKES_AWAY = /^(deactivate|freeze|remove|revoke|delete)/;

/**
 * The confirmation dialog of an access action: the dry run's preview (what would change, per
 * record) first, then Confirm sends it (`confirm: true`) and shows Salesforce's answer per
 * record. Fires `done` after a confirmed action and `close` when dismissed (pryzm-modal keeps
 * focus inside and closes on Escape).
 */
export default class AccessAction extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;
  @api connectionId;
  /** `{ request, names }`: the action as the API takes it, and names for the ids it carries. */
  @api pending;

  draft = null;
  options = [];
  preview = null;
  outcome = null;
  error = '';
  busy = false;
  /** Confirm was pressed: whatever Salesforce answered, the dialog only closes now. */
  confirmed = false;

  connectedCallback() {
    this.draft = { ...this.pending.request };
    if (this.choice) this.loadOptions();
    else this.runPreview();
  }

  path(rest) {
    return accessPath(this.workspaceId, this.connectionId, rest);
  }

  /** The id the request still needs chosen, if any. */
  get choice() {
    const key = Object.keys(CHOICES).find((k) => k in this.draft);
    return key ? { key, ...CHOICES[key] } : null;
  }

  async loadOptions() {
    try {
      const rows = await listAll(this.path(`/lists/${this.choice.list}?limit=500`), 2000);
      // A profile's own permission set cannot be assigned or removed on its own.
      this.options = rows
        .filter((row) => row.fields?.IsOwnedByProfile !== true)
        .map((row) => ({ value: row.salesforceId, label: row.name || row.salesforceId }));
      if (this.draft[this.choice.key]) this.runPreview();
    } catch (error) {
      this.error = error.message;
    }
  }

  handleChoice(event) {
    this.draft = { ...this.draft, [this.choice.key]: event.target.value || null };
    this.preview = null;
    if (this.draft[this.choice.key]) this.runPreview();
  }

  send(options) {
    return request(this.path('/actions'), {
      method: 'POST',
      body: { request: this.draft, ...options },
    });
  }

  async runPreview() {
    this.busy = true;
    this.error = '';
    try {
      this.preview = await this.send({ dryRun: true });
    } catch (error) {
      this.error = error.message;
    } finally {
      this.busy = false;
    }
  }

  async handleConfirm() {
    this.busy = true;
    this.error = '';
    try {
      this.outcome = await this.send({ confirm: true });
    } catch (error) {
      // Every record refused: Salesforce's reason, and the action is still on record.
      this.error = `${error.code}: ${error.message}`;
      this.outcome = null;
    } finally {
      this.busy = false;
      this.confirmed = true;
    }
    this.dispatchEvent(new CustomEvent('done'));
    // Confirm and Cancel made way for Close: focus stays in the dialog.
    Promise.resolve().then(() => this.querySelector('[data-focus="close"]')?.focus());
  }

  handleClose() {
    this.close();
  }

  close() {
    this.dispatchEvent(new CustomEvent('close'));
  }

  nameOf(id) {
    return (id && this.pending.names?.[id]) || id || '—';
  }

  rowsOf(answer) {
    return (answer?.results || []).map((result, index) => {
      const fields = Object.entries(result.fields || {})
        .map(([key, value]) => `${key} = ${value}`)
        .join(', ');
      return {
        key: `${index}`,
        who: this.nameOf(result.userId || result.salesforceId),
        change: `${result.op} ${result.object}${fields ? ` (${fields})` : ''}`,
        badge: statusBadge(result.status),
        detail: result.error
          ? `${result.error.code}: ${result.error.message}`
          : result.reason || result.salesforceId || '',
      };
    });
  }

  get title() {
    return actionLabel(this.draft.action);
  }

  get choiceOptions() {
    const current = this.draft[this.choice?.key];
    return [{ value: '', label: 'Choose…' }, ...this.options].map((o) => ({
      ...o,
      selected: o.value === (current || ''),
    }));
  }

  get changeColumns() {
    return CHANGE_COLUMNS;
  }

  /** The dry run's changes until the action is confirmed, then what it changed. */
  get changeRows() {
    return this.rowsOf(this.outcome || this.preview);
  }

  get changesLabel() {
    return this.outcome ? 'What changed' : 'What would change';
  }

  get hasChanges() {
    return this.hasPreview || Boolean(this.outcome);
  }

  get hasPreview() {
    return Boolean(this.preview) && !this.outcome;
  }

  get outcomeBadge() {
    return statusBadge(this.outcome?.status);
  }

  get confirmDisabled() {
    return this.busy || !this.preview;
  }

  get confirmClass() {
    return TAKES_AWAY.test(this.draft.action)
      ? 'slds-button slds-button_destructive'
      : 'slds-button slds-button_brand';
  }

  get showConfirm() {
    return !this.confirmed;
  }
}
