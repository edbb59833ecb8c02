import { problem, type Outcome } from '../outcome/problem.ts';
import { ok } from '../outcome/result.ts';
import type { AuthFlow } from '../store/repositories/connections.ts';
import type { ReplacementCredentials } from './connection-sessions.ts';

/** New credentials sent with a re-authorisation; which ones apply depends on the flow. */
export interface ReauthorizationCredentials {
  privateKey?: string;
  password?: string;
  securityToken?: string;
  clientSecret?: string;
}

const APPLICABLE: Record<AuthFlow, (keyof ReauthorizationCredentials)[]> = {
  web_server: [],
  jwt_bearer: ['privateKey'],
  password: ['password', 'securityToken', 'clientSecret'],
};

/**
 * The stored credentials a re-authorisation replaces, checked against the connection's flow:
 * a web-server connection takes none (the browser signs in again), JWT bearer a private key,
 * username-password a password (with its security token) and optionally a consumer secret.
 */
export function replacementFor(
  authFlow: AuthFlow,
  input: ReauthorizationCredentials,
): Outcome<ReplacementCredentials | undefined> {
  const given = (Object.keys(input) as (keyof ReauthorizationCredentials)[]).filter(
    (key) => input[key] !== undefined,
  );
  if (given.length === 0) return ok(undefined);
  const misplaced = given.filter((key) => !APPLICABLE[authFlow].includes(key));
  if (misplaced.length > 0) {
    return problem(
      'invalid',
      'credentials_not_applicable',
      authFlow === 'web_server'
        ? 'A web-server connection is re-authorised in the browser; send no credentials'
        : `A ${authFlow} connection does not take ${misplaced.join(', ')}`,
    );
  }
  if (authFlow === 'password' && input.securityToken !== undefined && !input.password) {
    return problem(
      'invalid',
      'password_required',
      'Send the password together with the new security token',
    );
  }
  return ok({
    credential:
      authFlow === 'jwt_bearer'
        ? input.privateKey
        : input.password !== undefined
          ? input.password + (input.securityToken ?? '')
          : undefined,
    clientSecret: input.clientSecret,
  });
}
