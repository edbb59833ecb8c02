import { ReauthorizationRequiredError, SalesforceApiError } from '../salesforce/client.ts';
import { problem } from '../outcome/problem.ts';

/** Turns a failed Salesforce call into a problem the API can answer with. */
export function salesforceProblem(error: unknown) {
  if (error instanceof ReauthorizationRequiredError) {
    return problem('conflict', 'needs_reauthorization', error.message);
  }
  if (error instanceof SalesforceApiError) {
    return problem(
      'upstream',
      'salesforce_error',
      `Salesforce answered ${error.errorCode}: ${error.message}`,
      {
        salesforceErrorCode: error.errorCode,
      },
    );
  }
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return problem(
      'upstream',
      'salesforce_unreachable',
      `Salesforce could not be reached (${code})`,
    );
  }
  if (error instanceof Error && error.message.startsWith('Token refresh failed')) {
    return problem('upstream', 'token_refresh_failed', error.message);
  }
  throw error;
}
