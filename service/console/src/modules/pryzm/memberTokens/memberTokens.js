import { LightningElement, api } from 'lwc';
import { callerKeyId, formatDate, listAll, request, signOutWith, workspacePath } from 'pryzm/api';
import { byStateThenNewest, keyState, roleLabel } from 'pryzm/keyInput';
import { showToast } from 'pryzm/toast';

/**
 * One member's personal tokens: create (the secret shown once, an optional expiry), the list
 * with last use and expiry, revoke after a confirmation. A token acts with the member's role.
 */
export default class MemberTokens extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;

  /** The member whose tokens are shown; another member resets the panel. */
  @api
  get member() {
    return this.currentMember;
  }
  set member(value) {
    const changed = this.currentMember && value && this.currentMember.id !== value.id;
    this.currentMember = value;
    if (changed) {
      this.created = null;
      this.focused = false;
      this.load();
    }
  }

  currentMember;

  tokens = [];
  loaded = false;
  created = null;
  revoking = null;
  error = '';

  connectedCallback() {
    this.load();
  }

  renderedCallback() {
    if (this.focused) return;
    this.focused = true;
    // The panel opened from a row's Tokens button: the reader lands on its heading.
    this.querySelector('[data-id="tokens-heading"]')?.focus();
  }

  tokensPath(rest = '') {
    return workspacePath(this.workspaceId, `/members/${this.member.id}/tokens${rest}`);
  }

  async load() {
    try {
      this.tokens = await listAll(this.tokensPath());
      this.loaded = true;
    } catch (error) {
      this.error = error.message;
    }
  }

  get heading() {
    return `${this.member.name}’s personal tokens`;
  }

  get description() {
    return `Tokens act as ${this.member.name} with their role (${roleLabel(this.member.role)}), and follow it when it changes.`;
  }

  get isEmpty() {
    return this.loaded && this.tokens.length === 0;
  }

  get rows() {
    return byStateThenNewest(this.tokens).map((token) => {
      const state = keyState(token);
      return {
        ...token,
        created: formatDate(token.createdAt),
        expires: token.expiresAt ? formatDate(token.expiresAt) : 'Never',
        lastUsed: token.lastUsedAt ? formatDate(token.lastUsedAt) : 'Never',
        status: state.label,
        badgeClass: state.className,
        active: state.active,
        revokeLabel: `Revoke token ${token.name}`,
        signedInWith: token.id === callerKeyId(),
      };
    });
  }

  async handleCreate(event) {
    try {
      this.created = await request(this.tokensPath(), { method: 'POST', body: event.detail });
      this.querySelector('pryzm-credential-form').reset();
      await this.load();
    } catch (error) {
      showToast(this, {
        title: 'The token was not created',
        message: error.message,
        variant: 'error',
      });
    }
  }

  get createdHeading() {
    return `Copy the token now: it is not shown again`;
  }

  get createdMessage() {
    return `Give it to ${this.member.name}: they sign in to the console with it, or send it as "Authorization: Bearer <token>".`;
  }

  handleDismissSecret() {
    this.created = null;
  }

  handleClose() {
    this.dispatchEvent(new CustomEvent('close'));
  }

  handleRevokeRequest(event) {
    this.revoking = this.tokens.find((t) => t.id === event.detail.id) || null;
  }

  cancelRevoke() {
    this.revoking = null;
  }

  get revokeHeading() {
    return `Revoke ${this.revoking?.name}?`;
  }

  /** Revoking the token this console signed in with signs it out. */
  get revokeSignsOut() {
    return Boolean(this.revoking) && this.revoking.id === callerKeyId();
  }

  async confirmRevoke() {
    const token = this.revoking;
    const signsOut = this.revokeSignsOut;
    this.revoking = null;
    try {
      await request(this.tokensPath(`/${token.id}`), { method: 'DELETE' });
      if (signsOut) {
        signOutWith(
          this,
          `You revoked ${token.name}, the token this console was signed in with, so you are signed out. Sign in with another token.`,
        );
        return;
      }
      showToast(this, { title: `${token.name} revoked`, variant: 'success' });
      await this.load();
    } catch (error) {
      showToast(this, { title: 'Could not revoke', message: error.message, variant: 'error' });
    }
  }
}
