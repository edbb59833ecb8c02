/** The small HTML pages of the web-server flow: login, then allow/deny. */

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;background:#f3f3f3;display:flex;justify-content:center;padding-top:8vh}
main{background:#fff;border:1px solid #ddd;border-radius:6px;padding:2rem;width:22rem}
label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}
button{margin-top:1.2rem;padding:.5rem 1.2rem}.error{color:#b00020}</style></head>
<body><main>${body}</main></body></html>`;
}

export function loginPage(ticket: string, error?: string, username = ''): string {
  return page(
    'Login | Salesforce',
    `<h1>Log in</h1>${error ? `<p class="error" id="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/services/oauth2/authorize/login">
<input type="hidden" name="ticket" value="${escapeHtml(ticket)}">
<label for="username">Username</label><input type="text" id="username" name="username" value="${escapeHtml(username)}">
<label for="password">Password</label><input type="password" id="password" name="password">
<button type="submit" name="Login">Log In</button></form>`,
  );
}

export function consentPage(
  ticket: string,
  appName: string,
  username: string,
  scope: string,
): string {
  return page(
    'Allow Access?',
    `<h1>Allow Access?</h1><p>${escapeHtml(appName)} is asking to access your account (${escapeHtml(username)}) with: ${escapeHtml(scope)}.</p>
<form method="post" action="/services/oauth2/authorize/consent">
<input type="hidden" name="ticket" value="${escapeHtml(ticket)}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></form>`,
  );
}

export function errorPage(error: string, description: string): string {
  return page(
    'Error',
    `<h1>error=${escapeHtml(error)}</h1><p>error_description=${escapeHtml(description)}</p>`,
  );
}
