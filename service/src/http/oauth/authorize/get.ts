import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../services.ts';
import { AUTHORIZATION_TTL_MS } from '../../../connections/connection-service.ts';
import { asyncHandler } from '../../async-handler.ts';
import { unwrap } from '../../outcome.ts';
import { ApiError } from '../../errors/api-error.ts';
import { bindingCookieName } from '../binding-cookie.ts';

const query = z.object({ state: z.string().min(1).max(200) }).strict();

/**
 * GET /oauth/authorize?state=... (opened in the browser of the person connecting). The
 * unguessable, single-use state is the credential; the browser gets an HttpOnly cookie that
 * the callback must present, then goes on to Salesforce's login page.
 */
export function getAuthorize(services: Services, secureCookies: () => boolean): RequestHandler {
  return asyncHandler(async (req, res) => {
    const parsed = query.safeParse(req.query);
    if (!parsed.success) throw new ApiError(401, 'invalid_state', 'The link has no valid state');
    const { state } = parsed.data;
    const { salesforceUrl, bindingNonce } = unwrap(
      await services.connections.openAuthorization(state),
    );
    res.cookie(bindingCookieName(state), bindingNonce, {
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies(),
      path: '/oauth/callback',
      maxAge: AUTHORIZATION_TTL_MS,
    });
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, salesforceUrl);
  });
}
