import { LightningElement, api } from 'lwc';
import {
  callerMemberId,
  can,
  formatDate,
  listAll,
  request,
  signOutWith,
  workspacePath,
} from 'pryzm/api';
import { ROLE_OPTIONS, roleBadgeClass, roleLabel } from 'pryzm/keyInput';
import { showToast } from 'pryzm/toast';

const MEMBER_COLUMNS = [
  { label: 'Name' },
  { label: 'Email' },
  { label: 'Role' },
  { label: 'Added' },
  { label: 'Actions', assistive: true },
];

/**
 * Members and roles: the people of a workspace with their role (Admin, Editor, Viewer); add one,
 * change a role (every personal token follows at once), remove one; each member's personal
 * tokens below the list (pryzm-member-tokens).
 */
export default class Members extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;

  members = [];
  loaded = false;
  error = '';
  adding = false;
  draft = { email: '', name: '', role: 'viewer' };
  addError = '';
  removing = null;
  selectedId = null;
  /** A member's one-time console sign-in link, shown once until the Admin is done with it. */
  signInLink = null;

  connectedCallback() {
    if (this.canManage) this.load();
  }

  async load() {
    try {
      this.members = await listAll(workspacePath(this.workspaceId, '/members'));
      this.loaded = true;
      if (!this.members.some((member) => member.id === this.selectedId)) this.selectedId = null;
    } catch (error) {
      this.error = error.message;
    }
  }

  /** Members are read and managed with integrations:manage (Admins). */
  get canManage() {
    return can('integrations:manage');
  }

  get columns() {
    return MEMBER_COLUMNS;
  }

  get isEmpty() {
    return this.loaded && this.members.length === 0;
  }

  get rows() {
    return this.members.map((member) => ({
      ...member,
      added: formatDate(member.createdAt),
      roleClass: roleBadgeClass(member.role),
      roleLabel: roleLabel(member.role),
      roleSelectId: `member-role-${member.id}`,
      roleSelectLabel: `Role of ${member.name}`,
      roleOptions: ROLE_OPTIONS.map((option) => ({
        ...option,
        selected: option.value === member.role,
      })),
      actions: [
        { name: 'tokens', label: 'Tokens', assistiveLabel: `Personal tokens of ${member.name}` },
        {
          name: 'signinlink',
          label: 'Sign-in link',
          assistiveLabel: `Sign-in link for ${member.name}`,
        },
        {
          name: 'remove',
          label: 'Remove',
          assistiveLabel: `Remove ${member.name}`,
          variant: 'destructive',
        },
      ],
      rowClass: member.id === this.selectedId ? 'slds-is-selected' : '',
    }));
  }

  get roleHelp() {
    return ROLE_OPTIONS;
  }

  get selectedMember() {
    return this.members.find((member) => member.id === this.selectedId) || null;
  }

  async handleRoleChange(event) {
    const member = this.members.find((m) => m.id === event.target.dataset.id);
    const role = event.target.value;
    try {
      const updated = await request(workspacePath(this.workspaceId, `/members/${member.id}`), {
        method: 'PATCH',
        body: { role },
      });
      showToast(this, {
        title: `${updated.name} is now ${roleLabel(updated.role) === 'Admin' ? 'an' : 'a'} ${roleLabel(updated.role)}`,
        message: 'Every personal token of theirs acts with the new role from now on.',
        variant: 'success',
      });
    } catch (error) {
      showToast(this, {
        title: 'The role was not changed',
        message: error.message,
        variant: 'error',
      });
    }
    await this.load();
  }

  /** `POST …/members/:id/sign-in-links`: a link the member opens once to sign in with their role. */
  async handleSignInLink(event) {
    const member = this.members.find((m) => m.id === event.detail.id);
    try {
      const link = await request(
        workspacePath(this.workspaceId, `/members/${member.id}/sign-in-links`),
        { method: 'POST', body: {} },
      );
      this.signInLink = { heading: `Sign-in link for ${member.name}`, url: link.url };
    } catch (error) {
      showToast(this, { title: 'No sign-in link', message: error.message, variant: 'error' });
    }
  }

  handleSignInLinkDone() {
    this.signInLink = null;
  }

  handleShowTokens(event) {
    this.selectedId = event.detail.id;
  }

  handleCloseTokens() {
    this.selectedId = null;
  }

  openAdd() {
    this.draft = { email: '', name: '', role: 'viewer' };
    this.addError = '';
    this.adding = true;
  }

  closeAdd() {
    this.adding = false;
  }

  get draftRoleOptions() {
    return ROLE_OPTIONS.map((option) => ({
      ...option,
      id: `new-member-role-${option.value}`,
      checked: option.value === this.draft.role,
    }));
  }

  handleDraft(event) {
    this.draft = { ...this.draft, [event.target.dataset.field]: event.target.value };
  }

  get addDisabled() {
    return !this.draft.email.trim() || !this.draft.name.trim();
  }

  async handleAdd(event) {
    event.preventDefault();
    this.addError = '';
    try {
      const member = await request(workspacePath(this.workspaceId, '/members'), {
        method: 'POST',
        body: {
          email: this.draft.email.trim(),
          name: this.draft.name.trim(),
          role: this.draft.role,
        },
      });
      this.adding = false;
      showToast(this, {
        title: `${member.name} added as ${roleLabel(member.role)}`,
        message: 'Create a personal token for them below to let them sign in.',
        variant: 'success',
      });
      await this.load();
      this.selectedId = member.id;
    } catch (error) {
      this.addError = error.message;
    }
  }

  handleRemoveRequest(event) {
    this.removing = this.members.find((m) => m.id === event.detail.id) || null;
  }

  cancelRemove() {
    this.removing = null;
  }

  get removeHeading() {
    return `Remove ${this.removing?.name}?`;
  }

  /** Removing the member this console acts as ends its sign-in (their tokens and sessions go). */
  get removeSignsOut() {
    return Boolean(this.removing) && this.removing.id === callerMemberId();
  }

  async confirmRemove() {
    const member = this.removing;
    const signsOut = this.removeSignsOut;
    this.removing = null;
    try {
      await request(workspacePath(this.workspaceId, `/members/${member.id}`), {
        method: 'DELETE',
      });
      if (signsOut) {
        signOutWith(
          this,
          `You removed ${member.name}, the member this console was signed in as, so you are signed out.`,
        );
        return;
      }
      showToast(this, {
        title: `${member.name} removed`,
        message: 'Their personal tokens no longer work.',
        variant: 'success',
      });
      await this.load();
    } catch (error) {
      showToast(this, { title: 'Could not remove', message: error.message, variant: 'error' });
    }
  }
}
