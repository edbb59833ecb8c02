/**
 * The HTML of the local org's Lightning pages: a frame that loads the built bundle with the
 * page's context as a JSON data island (never executed), and the My Domain login page.
 */
import type { Org } from '../org/org.ts';
import type { AccessSession } from '../org/sessions.ts';
import { namespacePrefix } from './apex/apex-context.ts';
import { PRYZM_FIELDS } from './apex/push-controller.ts';
import { csrfToken } from './ui-session.ts';

const NO_RECORD: Record<string, unknown> = {};

export const ASSET_BASE = '/lightning/assets';

/** What the pages' components read from `salesforce/context`. */
export interface PageContext {
  page: 'record' | 'app';
  org: { id: string; name: string; namespace: string | null };
  user: { id: string; name: string; username: string };
  csrfToken: string;
  locale: string;
  timeZone: string;
  customPermissions: string[];
  tabs: { key: string; label: string; url: string }[];
  record?: RecordView;
  tab?: { name: string; label: string };
}

export interface RecordView {
  id: string;
  objectApiName: string;
  objectLabel: string;
  name: string;
  fields: { name: string; label: string; type: string; value: unknown }[];
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The Setup tab's URL: `/lightning/n/<tab>`, with the namespace of an installed package. */
export function setupTabUrl(org: Org): string {
  return `/lightning/n/${namespacePrefix(org)}Pryzm_Setup`;
}

// Fields the Details card shows before the package's own, when the object has them.
const DETAIL_FIELDS = [
  'Name',
  'Phone',
  'Website',
  'Industry',
  'Type',
  'Email',
  'Title',
  'StageName',
  'Amount',
  'CloseDate',
  'Status',
  'Subject',
];

export function recordView(org: Org, objectName: string, id: string): RecordView | undefined {
  const found = org.findById(id);
  const describe = org.describe(objectName);
  if (!found || !describe || found.objectName !== objectName || found.record.IsDeleted === true) {
    return undefined;
  }
  const record = found.record;
  const prefix = namespacePrefix(org);
  const names = [...DETAIL_FIELDS, ...PRYZM_FIELDS.map((name) => `${prefix}${name}`)];
  const fields = names.flatMap((name) => {
    const field = describe.fields.find((f) => f.name === name);
    return field
      ? [{ name, label: field.label, type: field.type, value: record[name] ?? null }]
      : [];
  });
  const owner = org.findById(String(record['OwnerId'] ?? ''))?.record['Name'];
  if (owner) fields.push({ name: 'Owner', label: 'Owner', type: 'string', value: owner });
  return {
    id: String(record.Id),
    objectApiName: objectName,
    objectLabel: describe.label,
    name: String(record['Name'] ?? record.Id),
    fields,
  };
}

export function pageContext(
  org: Org,
  session: AccessSession,
  page: Pick<PageContext, 'page' | 'record' | 'tab'>,
): PageContext {
  const user = org.findById(session.userId)?.record ?? NO_RECORD;
  const permissions = new Set(org.schema.permissionSets.flatMap((ps) => ps.customPermissions));
  const tabs = [{ key: 'setup', label: 'Pryzm Setup', url: setupTabUrl(org) }];
  if (page.record) {
    tabs.push({
      key: 'record',
      label: page.record.name,
      url: `/lightning/r/${page.record.objectApiName}/${page.record.id}/view`,
    });
  }
  return {
    ...page,
    org: {
      id: org.id,
      name: org.config.name ?? org.config.myDomain,
      namespace: org.config.namespace ?? null,
    },
    user: {
      id: session.userId,
      name: String(user['Name'] ?? ''),
      username: String(user['Username'] ?? ''),
    },
    csrfToken: csrfToken(session),
    locale: String(user['LocaleSidKey'] ?? 'en_US').replace('_', '-'),
    timeZone: String(user['TimeZoneSidKey'] ?? 'UTC'),
    customPermissions: [...permissions].filter((name) =>
      org.userHasCustomPermission(session.userId, name),
    ),
    tabs,
  };
}

export function lightningPage(title: string, context: PageContext): string {
  // `<` escaped so no value can close the data island's script element.
  const json = JSON.stringify(context).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} | Salesforce</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSET_BASE}/styles/salesforce-lightning-design-system.min.css">
<link rel="stylesheet" href="${ASSET_BASE}/styles/page.css">
</head>
<body>
<div id="root"></div>
<noscript>Lightning pages need JavaScript.</noscript>
<script type="application/json" id="lightning-page-context">${json}</script>
<script type="module" src="/lightning/lightning.js"></script>
</body>
</html>`;
}

export function loginPage(
  orgName: string,
  startUrl: string,
  error?: string,
  username = '',
): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Login | Salesforce</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSET_BASE}/styles/salesforce-lightning-design-system.min.css">
<link rel="stylesheet" href="${ASSET_BASE}/styles/page.css">
</head>
<body>
<main class="slds-align_absolute-center slds-p-top_xx-large">
<div class="slds-box slds-theme_default slds-p-around_large" style="width: 24rem">
<h1 class="slds-text-heading_medium slds-m-bottom_medium">Log in to ${escapeHtml(orgName)}</h1>
${error ? `<p class="slds-text-color_error slds-m-bottom_small" role="alert" id="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/">
<input type="hidden" name="startURL" value="${escapeHtml(startUrl)}">
<div class="slds-form-element slds-m-bottom_small">
<label class="slds-form-element__label" for="username">Username</label>
<div class="slds-form-element__control"><input class="slds-input" type="email" id="username" name="username" autocomplete="username" value="${escapeHtml(username)}" required></div>
</div>
<div class="slds-form-element slds-m-bottom_medium">
<label class="slds-form-element__label" for="password">Password</label>
<div class="slds-form-element__control"><input class="slds-input" type="password" id="password" name="password" autocomplete="current-password" required></div>
</div>
<button class="slds-button slds-button_brand slds-button_stretch" type="submit">Log In</button>
</form>
</div>
</main>
</body>
</html>`;
}

export function messagePage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)} | Salesforce</title>
<link rel="stylesheet" href="${ASSET_BASE}/styles/salesforce-lightning-design-system.min.css"></head>
<body><main class="slds-p-around_large"><h1 class="slds-text-heading_medium">${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p></main></body>
</html>`;
}
