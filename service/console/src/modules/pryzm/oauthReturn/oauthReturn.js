/**
 * Coming back from Salesforce's login pages. The service's OAuth callback sends the browser to
 * `#/integrations?oauth=connected&connection=<id>` (or `oauth=failed&code&message`).
 *
 * The console signs in to Salesforce in a popup, but the service's
 * `Cross-Origin-Opener-Policy: same-origin` (helmet's default) severs the popup from its opener
 * as soon as it navigates to Salesforce, so `window.opener` is gone when it returns
 * (https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Cross-Origin-Opener-Policy).
 * A BroadcastChannel, which joins same-origin pages of one browser whatever opened them
 * (https://developer.mozilla.org/en-US/docs/Web/API/BroadcastChannel), carries the outcome
 * instead: the Integrations page that is waiting for it answers "taken", and the popup closes.
 * Without an answer (the flow ran in a tab of its own) the returning page shows the outcome.
 */
const CHANNEL = 'pryzm-oauth-outcome';

/** How long the returning page waits for a waiting Integrations page to take the outcome. */
const HANDOVER_WAIT_MS = 600;

/** The outcome in a route's query, or null. */
export function oauthOutcome(query) {
  if (!query || (query.oauth !== 'connected' && query.oauth !== 'failed')) return null;
  return {
    connected: query.oauth === 'connected',
    connectionId: query.connection || null,
    code: query.code || null,
    message: query.message || '',
  };
}

/**
 * Offers the outcome to a console page waiting for it; when one takes it, this window (the
 * console's popup) closes. Resolves true when the outcome was taken.
 */
export function handOverToWaitingPage(query) {
  const outcome = oauthOutcome(query);
  if (!outcome || typeof BroadcastChannel === 'undefined') return Promise.resolve(false);
  const channel = new BroadcastChannel(CHANNEL);
  const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return new Promise((resolve) => {
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    const timer = setTimeout(() => {
      channel.close();
      resolve(false);
    }, HANDOVER_WAIT_MS);
    channel.onmessage = (event) => {
      if (event.data?.type !== 'taken' || event.data.id !== id) return;
      clearTimeout(timer);
      channel.close();
      window.close();
      resolve(true);
    };
    channel.postMessage({ type: 'outcome', id, outcome });
  });
}

/**
 * Listens for outcomes a returning popup offers; `take(outcome)` answers whether this page was
 * waiting for one (it then shows it, and the popup closes). Answers a function that stops.
 */
export function listenForOutcomes(take) {
  if (typeof BroadcastChannel === 'undefined') return () => {};
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event) => {
    if (event.data?.type !== 'outcome' || !event.data.outcome) return;
    if (take(event.data.outcome)) channel.postMessage({ type: 'taken', id: event.data.id });
  };
  return () => channel.close();
}

/** Leaves the outcome out of the address bar, so a reload does not show it again. */
export function forgetOutcomeInAddressBar() {
  window.history.replaceState(null, '', `${window.location.pathname}#/integrations`);
}
