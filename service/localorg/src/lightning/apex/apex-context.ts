/**
 * What the local org's emulation of the package's Apex runs with: the org, the running user
 * (the page's signed-in user, as `UserInfo.getUserId()`), the event bus it publishes on, the
 * package Flows the org runs, the Named Credential callouts go through and the Custom Labels.
 */
import type { EventBusHost, PlatformEventPublisher } from '../../core/contracts.ts';
import type { Org } from '../../org/org.ts';
import type { CustomLabels } from './custom-labels.ts';
import type { NamedCredentials } from './named-credentials.ts';

export interface ApexContext {
  org: Org;
  userId: string;
  host: EventBusHost;
  publisher: PlatformEventPublisher;
  /** API names of the package Flows the org has active (the local org loads active ones only). */
  activeFlows: string[];
  namedCredentials: NamedCredentials;
  /** The package's Custom Labels, which every text the Apex shows comes from. */
  labels: CustomLabels;
}

/**
 * An exception thrown out of an `@AuraEnabled` method. The component receives it as
 * `error.body = { message, exceptionType, isUserDefinedException, stackTrace }`
 * (https://developer.salesforce.com/docs/platform/lwc/guide/apex-error-handling.html).
 */
export class ApexException extends Error {
  constructor(
    message: string,
    readonly exceptionType = 'System.AuraHandledException',
  ) {
    super(message);
  }
}

/** The package namespace prefix as `PryzmNamespace.prefix()` answers it: `pryzm__` or empty. */
export function namespacePrefix(org: Org): string {
  return org.config.namespace ? `${org.config.namespace}__` : '';
}
