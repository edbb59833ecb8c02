/**
 * What the local org's page tells the components about the signed-in user and the page: the
 * JSON the server writes into the page (never executed), read once when the bundle loads.
 */
let cached;

export function pageContext() {
  if (!cached) {
    // The page's one data island, outside any component.
    // eslint-disable-next-line @lwc/lwc/no-document-query
    const island = document.getElementById('lightning-page-context');
    cached = island ? JSON.parse(island.textContent) : {};
  }
  return cached;
}

export function userLocale() {
  return pageContext().locale || 'en-US';
}

export function userTimeZone() {
  return pageContext().timeZone || 'UTC';
}

/** The token every state-changing request carries, bound to the session cookie. */
export function csrfToken() {
  return pageContext().csrfToken || '';
}

/** Whether the user holds a custom permission, as `@salesforce/customPermission` answers. */
export function hasCustomPermission(name) {
  const held = pageContext().customPermissions || [];
  const strip = (value) => value.replace(/^[A-Za-z0-9]+__(?=[A-Za-z0-9])/, '').toLowerCase();
  return held.some((permission) => strip(permission) === strip(name));
}
