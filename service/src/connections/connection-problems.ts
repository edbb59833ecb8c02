import { problem } from '../outcome/problem.ts';
import type { Environment } from '../salesforce/login-hosts.ts';
import { describeFailure, type OAuthFailure } from '../salesforce/oauth.ts';

/** The problems connecting answers with, worded once. */
export function connectionNotFound(id: string) {
  return problem('not_found', 'connection_not_found', `No connection ${id}`);
}

export function invalidState(message: string) {
  return problem('unauthorized', 'invalid_state', message);
}

export function authenticationFailed(what: string, failure: OAuthFailure) {
  return problem(
    failure.error === 'unreachable' ? 'upstream' : 'invalid',
    'authentication_failed',
    `Salesforce refused the ${what} (${describeFailure(failure)})`,
    { salesforceError: failure.error },
  );
}

export function defaultLabel(environment: Environment): string {
  return environment === 'sandbox'
    ? 'Sandbox'
    : environment === 'production'
      ? 'Production'
      : 'Salesforce';
}
