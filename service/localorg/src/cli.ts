#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCertificates } from './certs/certificates.ts';
import { startLocalOrg, type LocalOrg } from './index.ts';

/**
 * `npm run localorg`: starts the default orgs on fixed ports and prints how to reach them.
 * Flags (or LOCALORG_* environment variables): --host, --port (base port), --data-file,
 * --certs-dir, --seed accounts=N,contacts=M,opportunities=K,users=U,logins=L, --no-tls,
 * --metadata-dir DIR (an admin's Flows and outbound messages, loaded into every org).
 */

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: process.env['LOCALORG_HOST'] ?? '127.0.0.1' },
    port: { type: 'string', default: process.env['LOCALORG_PORT'] ?? '6100' },
    'data-file': { type: 'string', default: process.env['LOCALORG_DATA_FILE'] },
    'certs-dir': {
      type: 'string',
      default: process.env['LOCALORG_CERTS_DIR'] ?? '.localorg/certs',
    },
    seed: { type: 'string', default: process.env['LOCALORG_SEED'] },
    'no-tls': { type: 'boolean', default: process.env['LOCALORG_NO_TLS'] === 'true' },
    'metadata-dir': { type: 'string', default: process.env['LOCALORG_METADATA_DIR'] },
  },
});

function parseSeed(
  text: string | undefined,
):
  | { accounts: number; contacts: number; opportunities: number; users?: number; logins?: number }
  | undefined {
  if (!text) return undefined;
  const out: {
    accounts: number;
    contacts: number;
    opportunities: number;
    users?: number;
    logins?: number;
  } = { accounts: 0, contacts: 0, opportunities: 0 };
  for (const part of text.split(',')) {
    const [key, value] = part.split('=').map((s) => s.trim());
    if (
      key === 'accounts' ||
      key === 'contacts' ||
      key === 'opportunities' ||
      key === 'users' ||
      key === 'logins'
    )
      out[key] = Number(value);
    else throw new Error(`Unknown seed key: ${key ?? ''}`);
  }
  return out;
}

function describe(local: LocalOrg, caPath: string | undefined): string {
  const lines: string[] = ['Pryzm local org is running.'];
  if (caPath) {
    lines.push(`  CA certificate:     ${caPath}`);
    lines.push(
      `                      (Node clients over https: export NODE_EXTRA_CA_CERTS=${caPath})`,
    );
  }
  lines.push(`  Login (production): ${local.loginUrl}`);
  lines.push(`  Login (sandbox):    ${local.sandboxLoginUrl}`);
  lines.push(`  Pub/Sub API (TLS):  ${local.pubSubEndpoint}`);
  lines.push(`  Faults and seeding: ${local.loginUrl}/_localorg/orgs`);
  lines.push('  Every URL also answers https:// on the same port.');
  for (const org of local.orgs) {
    lines.push('');
    lines.push(
      `Org ${org.myDomain} (${org.sandbox ? 'sandbox' : 'production'}, ${org.id}${org.namespace ? `, namespace ${org.namespace}` : ''})`,
    );
    lines.push(`  Instance URL:  ${org.instanceUrl}`);
    lines.push(`  Login URL:     ${org.loginUrl}`);
    for (const u of org.users) {
      lines.push(
        `  User:          ${u.username}  password ${u.password}  security token ${u.securityToken}`,
      );
    }
    for (const app of org.connectedApps) {
      const secret = app.clientSecret
        ? `  client_secret ${app.clientSecret}`
        : '  (no secret, PKCE)';
      lines.push(`  Connected app: client_id ${app.clientId}${secret}`);
    }
  }
  return lines.join('\n');
}

const base = Number(values.port);
const certs = values['no-tls'] ? undefined : ensureCertificates(resolve(values['certs-dir']));
const local = await startLocalOrg({
  host: values.host,
  ports: {
    login: base,
    sandboxLogin: base + 1,
    pubSub: base + 2,
    orgs: [base + 10, base + 11, base + 12, base + 13],
  },
  tls: certs ? { key: certs.key, cert: certs.cert } : undefined,
  dataFile: values['data-file'] ? resolve(values['data-file']) : undefined,
});
const metadataDir = values['metadata-dir'];
if (metadataDir) {
  for (const org of local.orgs) {
    const flows = local.events.loadOrgMetadata(org.id, resolve(metadataDir));
    console.log(`Loaded into ${org.myDomain}: ${flows.map((f) => f.name).join(', ') || 'no Flow'}`);
  }
}
const seed = parseSeed(values.seed);
if (seed) {
  for (const org of local.orgs) {
    const hasAccounts = [...local.org(org.id).records('Account')].length > 0;
    if (!hasAccounts) {
      const result = local.seed(org.id, seed);
      console.log(`Seeded ${org.myDomain}: ${JSON.stringify(result)}`);
    }
  }
}
console.log(describe(local, certs?.caPath));

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void local.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
