import { LightningElement, api } from 'lwc';
import { formatDate, request } from 'pryzm/api';
import { accessPath, actionLabel } from 'pryzm/accessData';
import { showToast } from 'pryzm/toast';

const USER_COLUMNS = [
  { label: 'Select', assistive: true },
  { label: 'Name' },
  { label: 'Profile and licence' },
  { label: 'Role' },
  { label: 'Status' },
  { label: 'Last login' },
  { label: 'Pryzm person' },
];

const PAGE_SIZE = 25;
/** The list is searched this long after the last keystroke. */
const SEARCH_DELAY_MS = 300;

/**
 * What the selected users can have done to them from this list (the API's per-user actions),
 * and the record each one still needs chosen in the dialog.
 */
const USER_ACTIONS = [
  { action: 'freeze-user' },
  { action: 'unfreeze-user' },
  { action: 'deactivate-user' },
  { action: 'assign-permission-set', needs: 'permissionSetId' },
  { action: 'remove-permission-set', needs: 'permissionSetId' },
  { action: 'assign-permission-set-group', needs: 'permissionSetGroupId' },
  { action: 'remove-permission-set-group', needs: 'permissionSetGroupId' },
  { action: 'assign-role', needs: 'roleId' },
  { action: 'remove-role' },
  { action: 'add-group-members', needs: 'groupId' },
  { action: 'remove-group-members', needs: 'groupId' },
  { action: 'assign-permission-set-licence', needs: 'permissionSetLicenseId' },
  { action: 'remove-permission-set-licence', needs: 'permissionSetLicenseId' },
  { action: 'assign-package-licence', needs: 'packageLicenseId' },
  { action: 'remove-package-licence', needs: 'packageLicenseId' },
];

/**
 * The org's users as the last access pull read them: profile, role, licence, frozen, last
 * login and the Pryzm person with the same email; searched by name, paged by cursor. Selected
 * users can be frozen, deactivated or given a permission set or role: the action goes up as an
 * `accessaction` event, and the Access page previews it before anything changes.
 */
export default class AccessUsers extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;
  @api connectionId;

  users = [];
  search = '';
  status = 'all';
  /** Cursors of the pages before this one (the first page has none). */
  cursors = [];
  cursor = null;
  nextCursor = null;
  /** Selected users (id → name), kept across pages and searches. */
  selected = new Map();
  loading = true;
  timer = null;
  chosenAction = 'freeze-user';

  connectedCallback() {
    this.load();
  }

  disconnectedCallback() {
    clearTimeout(this.timer);
  }

  /** A new pull replaced the list: back to its first page. */
  @api
  reload() {
    this.cursors = [];
    this.cursor = null;
    this.selected = new Map();
    this.load();
  }

  /** A search or filter shows other users: the selection stays. */
  refilter() {
    this.cursors = [];
    this.cursor = null;
    this.load();
  }

  async load() {
    this.loading = true;
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (this.search.trim()) query.set('name', this.search.trim());
    if (this.status !== 'all') query.set('active', this.status === 'active' ? 'true' : 'false');
    if (this.cursor) query.set('cursor', this.cursor);
    try {
      const page = await request(
        accessPath(this.workspaceId, this.connectionId, `/lists/users?${query}`),
      );
      this.users = page.data;
      this.nextCursor = page.nextCursor;
    } catch (error) {
      showToast(this, { title: 'Could not load users', message: error.message, variant: 'error' });
    } finally {
      this.loading = false;
    }
  }

  handleSearch(event) {
    this.search = event.target.value;
    clearTimeout(this.timer);
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.timer = setTimeout(() => this.refilter(), SEARCH_DELAY_MS);
  }

  handleStatus(event) {
    this.status = event.target.value;
    this.refilter();
  }

  handleNext() {
    this.cursors = [...this.cursors, this.cursor];
    this.cursor = this.nextCursor;
    this.load();
  }

  handlePrevious() {
    this.cursor = this.cursors[this.cursors.length - 1] ?? null;
    this.cursors = this.cursors.slice(0, -1);
    this.load();
  }

  handleSelect(event) {
    const { id } = event.target.dataset;
    const selected = new Map(this.selected);
    if (event.target.checked) selected.set(id, this.users.find((u) => u.salesforceId === id)?.name);
    else selected.delete(id);
    this.selected = selected;
  }

  handleChosenAction(event) {
    this.chosenAction = event.target.value;
  }

  handleAction() {
    const { action, needs } = USER_ACTIONS.find((a) => a.action === this.chosenAction);
    const wanted = { action, userIds: [...this.selected.keys()] };
    if (needs) wanted[needs] = null;
    this.dispatchEvent(
      new CustomEvent('accessaction', {
        detail: { request: wanted, names: Object.fromEntries(this.selected) },
      }),
    );
  }

  get columns() {
    return USER_COLUMNS;
  }

  get rows() {
    return this.users.map((user) => {
      const fields = user.fields || {};
      return {
        id: user.salesforceId,
        name: user.name,
        username: fields.Username || user.email,
        profile: fields.profileName || '—',
        role: fields.roleName || '—',
        licence: fields.licenceName || '—',
        active: user.active ? 'Active' : 'Inactive',
        activeClass: user.active ? 'slds-badge slds-theme_success' : 'slds-badge',
        frozen: fields.frozen === true,
        lastLogin: formatDate(user.at),
        personHref: user.personId ? `#/records/${user.personId}` : null,
        personLabel: `Open ${user.name} in Pryzm`,
        checked: this.selected.has(user.salesforceId),
        checkboxId: `access-user-${user.salesforceId}`,
        checkboxLabel: `Select ${user.name}`,
      };
    });
  }

  get isEmpty() {
    return !this.loading && this.users.length === 0;
  }

  get statusOptions() {
    return [
      { value: 'all', label: 'All users' },
      { value: 'active', label: 'Active' },
      { value: 'inactive', label: 'Inactive' },
    ].map((o) => ({ ...o, selected: o.value === this.status }));
  }

  get selectionText() {
    const count = this.selected.size;
    return count === 0 ? 'Select users to act on them' : `${count} user(s) selected`;
  }

  get actionsDisabled() {
    return this.selected.size === 0;
  }

  get actionOptions() {
    return USER_ACTIONS.map(({ action }) => ({
      value: action,
      label: actionLabel(action),
      selected: action === this.chosenAction,
    }));
  }

  get previousDisabled() {
    return this.cursors.length === 0;
  }

  get nextDisabled() {
    return !this.nextCursor;
  }

  get pageText() {
    return `Page ${this.cursors.length + 1}`;
  }
}
