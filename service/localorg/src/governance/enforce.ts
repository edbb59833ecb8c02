import type { Org } from '../org/org.ts';
import { AccessRules, recountSeats, touchesSeats } from './access-rules.ts';

/**
 * Makes an org refuse what Salesforce refuses on its access objects and keep its licences'
 * `UsedLicenses` true after every commit that assigns, removes, activates or deactivates.
 */
export function enforceAccessRules(org: Org): void {
  org.useWriteRules(new AccessRules(org.store));
  org.onCommit((tx) => {
    if (touchesSeats(tx)) recountSeats(org.store);
  });
}
