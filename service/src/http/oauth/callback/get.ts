import type { RequestHandler } from 'express';
import type { Services } from '../../../services.ts';
import { asyncHandler } from '../../async-handler.ts';
import { unwrap } from '../../outcome.ts';
import { connectionView } from '../../views.ts';
import { bindingCookieName, readCookie } from '../binding-cookie.ts';

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length < 4096 ? value : undefined;

/**
 * GET /oauth/callback?code&state (or error&error_description&state): Salesforce's redirect.
 * Only the browser that opened the authorisation link, holding its cookie, can complete it.
 */
export function getCallback(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const state = text(req.query.state);
    const cookieName = state ? bindingCookieName(state) : undefined;
    const bindingNonce = cookieName ? readCookie(req.headers.cookie, cookieName) : undefined;
    if (cookieName) res.clearCookie(cookieName, { path: '/oauth/callback' });
    res.setHeader('Cache-Control', 'no-store');
    const outcome = await services.connections.completeAuthorization({
      state,
      bindingNonce,
      code: text(req.query.code),
      error: text(req.query.error),
      errorDescription: text(req.query.error_description),
    });
    // A browser goes back to the console's Integrations page, which shows the outcome (and, in
    // the console's sign-in popup, hands it to the page that opened it); scripts get JSON.
    if (req.accepts(['json', 'html']) === 'html') {
      res.redirect(303, consoleOutcomeUrl(outcome));
      return;
    }
    res.json(connectionView(unwrap(outcome)));
  });
}

/**
 * `/console/#/integrations?oauth=connected&connection=<id>`, or `?oauth=failed&code&message`.
 * The outcome rides in the fragment, which the browser never sends to a server.
 */
export function consoleOutcomeUrl(
  outcome: Awaited<ReturnType<Services['connections']['completeAuthorization']>>,
): string {
  const query = outcome.ok
    ? new URLSearchParams({ oauth: 'connected', connection: outcome.value.id })
    : new URLSearchParams({
        oauth: 'failed',
        code: outcome.error.code,
        message: outcome.error.message.slice(0, 300),
      });
  return `/console/#/integrations?${query}`;
}
