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
    const connection = unwrap(
      await services.connections.completeAuthorization({
        state,
        bindingNonce,
        code: text(req.query.code),
        error: text(req.query.error),
        errorDescription: text(req.query.error_description),
      }),
    );
    const view = connectionView(connection);
    if (req.accepts(['json', 'html']) === 'html') {
      const name = (view.orgName ?? '').replace(/[<>&"']/g, '');
      res
        .type('html')
        .send(
          `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Connected</title></head>` +
            `<body><h1>Connected to ${name}</h1><p>You can close this window.</p></body></html>`,
        );
      return;
    }
    res.json(view);
  });
}
