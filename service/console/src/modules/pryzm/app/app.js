import { LightningElement } from 'lwc';
import {
  callerRole,
  forgetSession,
  rememberCsrfToken,
  rememberSession,
  request,
  setCaller,
  storedToken,
  storedWorkspaceId,
} from 'pryzm/api';
import { handOverToWaitingPage, oauthOutcome } from 'pryzm/oauthReturn';

/** The console's pages, in the order the navigation shows them. */
const PAGES = [
  { id: 'integrations', label: 'Salesforce', section: 'Integrations', icon: 'connected_apps' },
  { id: 'mapping', label: 'Mapping', section: 'Integrations', icon: 'data_mapping' },
  { id: 'access', label: 'Access', section: 'Integrations', icon: 'lock' },
  { id: 'sync', label: 'Sync data', section: 'Data', icon: 'sync' },
  { id: 'history', label: 'History', section: 'Data', icon: 'date_time' },
  { id: 'conflicts', label: 'Conflicts', section: 'Data', icon: 'merge' },
  { id: 'records', label: 'Records', section: 'Data', icon: 'record_lookup' },
  { id: 'health', label: 'Health', section: 'Workspace', icon: 'heart' },
  { id: 'keys', label: 'API keys', section: 'Workspace', icon: 'key' },
  { id: 'members', label: 'Members and roles', section: 'Workspace', icon: 'people' },
  { id: 'webhooks', label: 'Webhooks', section: 'Workspace', icon: 'socialshare' },
  { id: 'audit', label: 'Audit log', section: 'Workspace', icon: 'feed' },
];

let toastId = 0;

/** The shell: sign-in, global header with the workspace switcher, navigation, the page. */
export default class App extends LightningElement {
  static renderMode = 'light';

  signedIn = false;
  linkError = '';
  /** Why the console signed out by itself (the person revoked the key it used). */
  signedOutNotice = '';
  workspaces = [];
  workspaceId = null;
  route = { page: 'integrations', id: null, query: {} };
  toasts = [];

  connectedCallback() {
    this.onHashChange = () => {
      if (!this.takeSignInLink()) this.readRoute();
    };
    window.addEventListener('hashchange', this.onHashChange);
    this.addEventListener('pryzmtoast', (event) => this.addToast(event.detail));
    this.addEventListener('pryzmsignedout', (event) => this.signOut(event.detail.message));
    if (this.takeSignInLink()) return;
    this.readRoute();
    if (oauthOutcome(this.route.query)) {
      // Back from Salesforce's login pages: in the console's popup, the page that opened it
      // takes the outcome and the popup closes; else this page shows it.
      handOverToWaitingPage(this.route.query).then((taken) => {
        if (!taken) this.loadWorkspaces(storedToken());
      });
      return;
    }
    // A bearer token this tab signed in with, else perhaps a session cookie from a link.
    this.loadWorkspaces(storedToken());
  }

  /** A one-time sign-in link in the address bar (`#sign-in=…`): used, then removed. */
  takeSignInLink() {
    const link = /^#sign-in=([^&]+)/.exec(window.location.hash)?.[1];
    if (!link) return false;
    // The link's secret leaves the address bar (and the history) before anything else.
    window.history.replaceState(null, '', `${window.location.pathname}#/integrations`);
    this.readRoute();
    this.signInWithLink(decodeURIComponent(link));
    return true;
  }

  async signInWithLink(link) {
    try {
      const session = await request('/session', { method: 'POST', body: { link }, token: null });
      forgetSession();
      rememberCsrfToken(session.csrfToken);
      await this.loadWorkspaces(null);
    } catch (error) {
      this.linkError =
        error.code === 'invalid_link'
          ? 'This sign-in link was already used or has expired. Sign in with a token, or ask for a new link.'
          : error.message;
    }
  }

  disconnectedCallback() {
    window.removeEventListener('hashchange', this.onHashChange);
  }

  readRoute() {
    // `#/page/id?key=value`: what follows `?` is for the page (e.g. an OAuth outcome).
    const [path, search = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
    const [page, id] = path.split('/');
    this.route = {
      page: PAGES.some((p) => p.id === page) ? page : 'integrations',
      id: id ? decodeURIComponent(id) : null,
      query: Object.fromEntries(new URLSearchParams(search)),
    };
    const current = PAGES.find((p) => p.id === this.route.page);
    document.title = `${current.label} | Pryzm Console`;
  }

  async loadWorkspaces(token) {
    try {
      setCaller(await request('/session', { token }));
      const { data } = await request('/workspaces', { token });
      this.workspaces = data;
      const stored = storedWorkspaceId();
      this.workspaceId = data.some((w) => w.id === stored) ? stored : (data[0]?.id ?? null);
      rememberSession(token, this.workspaceId);
      this.signedOutNotice = '';
      this.signedIn = true;
    } catch {
      forgetSession();
      this.signedIn = false;
    }
  }

  handleSignedIn(event) {
    forgetSession();
    this.loadWorkspaces(event.detail.token);
  }

  handleWorkspaceChange(event) {
    this.workspaceId = event.target.value;
    rememberSession(null, this.workspaceId);
  }

  async handleSignOut() {
    if (!storedToken()) {
      // A link's session ends on the server too; a bearer token simply leaves this tab.
      try {
        await request('/session', { method: 'DELETE' });
      } catch {
        // Already ended: nothing more to do.
      }
    }
    this.signOut('');
  }

  /** Back to the sign-in page, saying why when the console did not sign out on request. */
  signOut(notice) {
    forgetSession();
    this.signedOutNotice = notice;
    this.signedIn = false;
    this.workspaces = [];
    this.workspaceId = null;
  }

  addToast({ title, message, variant }) {
    toastId += 1;
    const id = toastId;
    const icon = { success: 'success', error: 'error', warning: 'warning' }[variant] || 'info';
    this.toasts = [
      ...this.toasts,
      {
        id,
        title,
        message,
        className: `slds-notify slds-notify_toast slds-theme_${icon}`,
        iconHref: `assets/icons/utility-sprite/svg/symbols.svg#${icon}`,
      },
    ];
    // Toasts leave by themselves, as Lightning's do (errors stay until closed).
    if (variant !== 'error') {
      // eslint-disable-next-line @lwc/lwc/no-async-operation
      setTimeout(() => this.dismiss(id), 6000);
    }
  }

  dismiss(id) {
    this.toasts = this.toasts.filter((toast) => toast.id !== id);
  }

  handleToastClose(event) {
    this.dismiss(Number(event.currentTarget.dataset.id));
  }

  get role() {
    return this.signedIn ? callerRole() : '';
  }

  get hasToasts() {
    return this.toasts.length > 0;
  }

  get workspaceOptions() {
    return this.workspaces.map((w) => ({ ...w, selected: w.id === this.workspaceId }));
  }

  get hasWorkspace() {
    return Boolean(this.workspaceId);
  }

  get navSections() {
    const sections = [];
    for (const page of PAGES) {
      let section = sections.find((s) => s.label === page.section);
      if (!section) {
        section = { label: page.section, id: `nav-${page.section.toLowerCase()}`, items: [] };
        sections.push(section);
      }
      const active = page.id === this.route.page;
      section.items.push({
        ...page,
        href: `#/${page.id}`,
        className: active ? 'slds-nav-vertical__item slds-is-active' : 'slds-nav-vertical__item',
        ariaCurrent: active ? 'page' : null,
        iconHref: `assets/icons/utility-sprite/svg/symbols.svg#${page.icon}`,
      });
    }
    return sections;
  }

  get routeId() {
    return this.route.id;
  }

  get isIntegrations() {
    return this.route.page === 'integrations';
  }
  get isMapping() {
    return this.route.page === 'mapping';
  }
  get isAccess() {
    return this.route.page === 'access';
  }
  get isSync() {
    return this.route.page === 'sync';
  }
  get isHistory() {
    return this.route.page === 'history';
  }
  get isConflicts() {
    return this.route.page === 'conflicts';
  }
  get isRecords() {
    return this.route.page === 'records';
  }
  get isHealth() {
    return this.route.page === 'health';
  }
  get isKeys() {
    return this.route.page === 'keys';
  }
  get isMembers() {
    return this.route.page === 'members';
  }
  get isWebhooks() {
    return this.route.page === 'webhooks';
  }
  get isAudit() {
    return this.route.page === 'audit';
  }
  get routeQuery() {
    return this.route.query;
  }
}
