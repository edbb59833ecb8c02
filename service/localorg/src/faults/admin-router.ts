import { Router, type Request, type Response } from 'express';
import type { LocalOrgRuntime } from '../org/runtime.ts';
import type { Org } from '../org/org.ts';
import { faultControls } from './faults-api.ts';
import { seedOrg } from '../seed/seed.ts';

/**
 * The local org's own admin endpoint (not a Salesforce API): `/_localorg/orgs/:org/...` to
 * inject and reset faults and to seed demo data, one org at a time.
 */

function num(body: Record<string, unknown>, key: string, fallback?: number): number {
  const v = body[key] ?? fallback;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`${key} must be a number`);
  return n;
}

export function adminRouter(runtime: LocalOrgRuntime): Router {
  const r = Router();

  r.get('/_localorg/orgs', (_req, res) => {
    res.json(
      runtime.orgs.map((o) => ({
        id: o.id,
        myDomain: o.config.myDomain,
        sandbox: o.sandbox,
        namespace: o.config.namespace ?? null,
        instanceUrl: o.instanceUrl,
        loginUrl: o.loginUrl,
        users: o.users.map((u) => ({ id: u.id, username: u.config.username })),
      })),
    );
  });

  const withOrg =
    (handler: (org: Org, body: Record<string, unknown>, res: Response) => unknown) =>
    (req: Request, res: Response): void => {
      const org = runtime.org(String(req.params['org']));
      if (!org) {
        res.status(404).json({ error: `No org ${String(req.params['org'])}` });
        return;
      }
      try {
        const out = handler(org, (req.body ?? {}) as Record<string, unknown>, res);
        if (!res.headersSent) res.json(out ?? faultControls(org, runtime.sessions).snapshot());
      } catch (e) {
        res.status(400).json({ error: (e as Error).message });
      }
    };

  const controls = (org: Org) => faultControls(org, runtime.sessions);
  r.get(
    '/_localorg/orgs/:org/faults',
    withOrg((org) => controls(org).snapshot()),
  );
  r.delete(
    '/_localorg/orgs/:org/faults',
    withOrg((org) => controls(org).reset()),
  );
  r.post(
    '/_localorg/orgs/:org/faults/reset',
    withOrg((org) => controls(org).reset()),
  );
  r.post(
    '/_localorg/orgs/:org/faults/expire-tokens',
    withOrg((org) => controls(org).expireTokens()),
  );
  r.post(
    '/_localorg/orgs/:org/faults/revoke-tokens',
    withOrg((org) => controls(org).revokeTokens()),
  );
  r.post(
    '/_localorg/orgs/:org/faults/api-usage',
    withOrg((org, b) => controls(org).setApiUsage(num(b, 'used'))),
  );
  r.post(
    '/_localorg/orgs/:org/faults/lock-rows',
    withOrg((org, b) => controls(org).lockRows(num(b, 'count', 1))),
  );
  r.post(
    '/_localorg/orgs/:org/faults/fail-requests',
    withOrg((org, b) => controls(org).failRequests(num(b, 'count', 1), num(b, 'status', 503))),
  );
  r.post(
    '/_localorg/orgs/:org/faults/delay-requests',
    withOrg((org, b) => controls(org).delayRequests(num(b, 'count', 1), num(b, 'ms'))),
  );
  r.post(
    '/_localorg/orgs/:org/faults/clock-offset',
    withOrg((org, b) => controls(org).setClockOffset(num(b, 'ms'))),
  );
  r.post(
    '/_localorg/orgs/:org/seed',
    withOrg((org, b) =>
      seedOrg(org, {
        accounts: num(b, 'accounts', 0),
        contacts: num(b, 'contacts', 0),
        opportunities: num(b, 'opportunities', 0),
        users: num(b, 'users', 0),
        ...(b['logins'] === undefined ? {} : { logins: num(b, 'logins', 0) }),
        seed: num(b, 'seed', 1),
      }),
    ),
  );
  return r;
}
