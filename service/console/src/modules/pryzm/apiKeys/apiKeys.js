import { LightningElement, api } from 'lwc';
import {
  callerKeyId,
  can,
  formatDate,
  listAll,
  request,
  revokingSignsOut,
  signOutWith,
  workspacePath,
} from 'pryzm/api';
import { byStateThenNewest, keyState, roleBadgeClass, roleLabel } from 'pryzm/keyInput';
import { showToast } from 'pryzm/toast';

/**
 * API keys: list (role, expiry, last use), create with a role and an expiry (the secret is
 * shown once), revoke after a confirmation. Members' personal tokens are on the Members page.
 */
export default class ApiKeys extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;

  keys = [];
  /** Keys and members' tokens: the lineage that says whether a revoke reaches this console's. */
  allKeys = [];
  loaded = false;
  created = null;
  revoking = null;
  error = '';

  connectedCallback() {
    if (this.canManage) this.load();
  }

  async load() {
    try {
      this.allKeys = await listAll(workspacePath(this.workspaceId, '/api-keys'));
      this.keys = this.allKeys.filter((key) => !key.memberId);
      this.loaded = true;
    } catch (error) {
      this.error = error.message;
    }
  }

  /** Keys are read and managed with integrations:manage (Admins). */
  get canManage() {
    return can('integrations:manage');
  }

  get rows() {
    return byStateThenNewest(this.keys).map((key) => {
      const state = keyState(key);
      return {
        ...key,
        created: formatDate(key.createdAt),
        lastUsed: key.lastUsedAt ? formatDate(key.lastUsedAt) : 'Never',
        expires: key.expiresAt ? formatDate(key.expiresAt) : 'Never',
        roleLabel: roleLabel(key.role),
        roleClass: roleBadgeClass(key.role),
        status: state.label,
        badgeClass: state.className,
        active: state.active,
        revokeLabel: `Revoke ${key.name}`,
        signedInWith: key.id === callerKeyId(),
      };
    });
  }

  get isEmpty() {
    return this.loaded && this.keys.length === 0;
  }

  async handleCreate(event) {
    try {
      this.created = await request(workspacePath(this.workspaceId, '/api-keys'), {
        method: 'POST',
        body: event.detail,
      });
      this.querySelector('pryzm-credential-form').reset();
      await this.load();
    } catch (error) {
      showToast(this, {
        title: 'The key was not created',
        message: error.message,
        variant: 'error',
      });
    }
  }

  get createdHeading() {
    return `Copy ${this.created?.name}’s key now: it is not shown again`;
  }

  get createdMessage() {
    const created = this.created;
    if (!created) return '';
    const expiry = created.expiresAt ? `expires ${formatDate(created.expiresAt)}` : 'no expiry';
    return `${roleLabel(created.role)} key, ${expiry}. Send it as "Authorization: Bearer <key>".`;
  }

  handleDismissSecret() {
    this.created = null;
  }

  handleRevokeRequest(event) {
    this.revoking = this.keys.find((key) => key.id === event.detail.id) || null;
  }

  handleCancelRevoke() {
    this.revoking = null;
  }

  get revokeHeading() {
    return `Revoke ${this.revoking?.name}?`;
  }

  /** Revoking this key (or a key it descends from) signs this console out. */
  get revokeSignsOut() {
    return Boolean(this.revoking) && revokingSignsOut(this.revoking.id, this.allKeys);
  }

  async handleConfirmRevoke() {
    const key = this.revoking;
    const signsOut = this.revokeSignsOut;
    this.revoking = null;
    try {
      await request(workspacePath(this.workspaceId, `/api-keys/${key.id}`), { method: 'DELETE' });
      if (signsOut) {
        signOutWith(
          this,
          `You revoked ${key.name}, the key this console was signed in with (or the key it was minted from), so you are signed out. Sign in with another key.`,
        );
        return;
      }
      showToast(this, { title: `${key.name} revoked`, variant: 'success' });
      await this.load();
    } catch (error) {
      showToast(this, { title: 'Could not revoke', message: error.message, variant: 'error' });
    }
  }
}
