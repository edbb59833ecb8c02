import { LightningElement, api } from 'lwc';

const NAME = { label: 'Name' };
const PREFIX = { label: 'Prefix', className: 'pryzm-hide-narrow' };
const ROLE = { label: 'Role' };
const DATES_AND_STATE = [
  { label: 'Created', className: 'pryzm-hide-narrow' },
  { label: 'Expires' },
  { label: 'Last used' },
  { label: 'Status' },
  { label: 'Actions', assistive: true },
];

/**
 * The list of a workspace's API keys or of a member's personal tokens: name (marked **This
 * console** for the one the console is signed in with), prefix, role (keys only), dates and
 * state, and **Revoke** on active ones, which says `revoke` with the row's `id`; the page asks
 * for a confirmation.
 */
export default class CredentialTable extends LightningElement {
  static renderMode = 'light';

  /** The table's accessible name, e.g. "API keys list". */
  @api label;
  /** `[{ id, name, prefix, roleLabel, roleClass, created, expires, lastUsed, status, badgeClass, active, revokeLabel, signedInWith }]` */
  @api rows = [];
  /** Keys have a role each; a member's tokens act with the member's. */
  @api showRole = false;
  @api frameClass;
  @api empty = false;
  @api emptyHeading;
  @api emptyIcon;
  @api emptyMessage;

  get columns() {
    return this.showRole
      ? [NAME, PREFIX, ROLE, ...DATES_AND_STATE]
      : [NAME, PREFIX, ...DATES_AND_STATE];
  }

  /** Revoke on an active key or token only: a revoked or expired one stays on the list, inert. */
  get tableRows() {
    return (this.rows || []).map((row) => ({
      ...row,
      actions: row.active
        ? [
            {
              name: 'revoke',
              label: 'Revoke',
              assistiveLabel: row.revokeLabel,
              variant: 'destructive',
            },
          ]
        : [],
    }));
  }

  handleRevoke(event) {
    this.dispatchEvent(new CustomEvent('revoke', { detail: { id: event.detail.id } }));
  }
}
