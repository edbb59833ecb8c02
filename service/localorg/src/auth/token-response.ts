import { createHmac } from 'node:crypto';
import type { ConnectedAppConfig } from '../org/config.ts';
import type { Org } from '../org/org.ts';
import type { AccessSession } from '../org/sessions.ts';

/** The identity URL Salesforce hands out with every token: on the login host, per user. */
export function identityUrl(org: Org, userId: string): string {
  return `${org.loginUrl}/id/${org.id}/${userId}`;
}

/** The token endpoint's success body, with the HMAC-SHA256 signature over id + issued_at. */
export function tokenResponse(
  session: AccessSession,
  app: ConnectedAppConfig | undefined,
  extra: { refreshToken?: string; scope?: boolean },
): Record<string, string> {
  const org = session.org;
  const id = identityUrl(org, session.userId);
  const issuedAt = String(session.issuedAt);
  const signature = createHmac('sha256', app?.clientSecret ?? org.id)
    .update(id + issuedAt)
    .digest('base64');
  const body: Record<string, string> = { access_token: session.accessToken };
  if (extra.refreshToken) body['refresh_token'] = extra.refreshToken;
  body['signature'] = signature;
  if (extra.scope) body['scope'] = session.scope;
  body['instance_url'] = org.instanceUrl;
  body['id'] = id;
  body['token_type'] = 'Bearer';
  body['issued_at'] = issuedAt;
  return body;
}
