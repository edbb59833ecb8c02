// When `npm start` runs the local org beside the service, the service should be able to connect
// to it out of the box: its production and sandbox login hosts are the local org's (base port and
// base port + 1) and its connected app is the one every local org registers. A user who set any
// Salesforce variable is pointing at a real org, so then nothing is filled in: mixing a real
// org's login host with the local org's app (or the reverse) could only fail in confusing ways.

const SALESFORCE_VARIABLES = [
  'SALESFORCE_LOGIN_URL',
  'SALESFORCE_SANDBOX_LOGIN_URL',
  'SALESFORCE_CLIENT_ID',
  'SALESFORCE_CLIENT_SECRET',
];

/** Whether `env` points the service at a real org (any Salesforce variable set, not empty). */
export function configuresRealOrg(env) {
  return SALESFORCE_VARIABLES.some((name) => env[name]);
}

/**
 * The service's environment beside a local org listening on `host:basePort` whose connected app
 * is `app` (the local org's own DEFAULT_CONNECTED_APP).
 */
export function serviceEnvForLocalOrg(env, { host, basePort, app, caFile }) {
  if (configuresRealOrg(env)) return { ...env };
  return {
    ...env,
    // Its Pub/Sub API (base port + 2, TLS with the local org's own CA) for real-time sync.
    ...(env.SALESFORCE_PUBSUB_ENDPOINT
      ? {}
      : {
          SALESFORCE_PUBSUB_ENDPOINT: `${host}:${basePort + 2}`,
          ...(caFile ? { SALESFORCE_PUBSUB_CA_FILE: caFile } : {}),
        }),
    SALESFORCE_LOGIN_URL: `http://${host}:${basePort}`,
    SALESFORCE_SANDBOX_LOGIN_URL: `http://${host}:${basePort + 1}`,
    // The orgs' instance URLs (My Domains): `npm run localorg` serves up to four orgs from base
    // port + 10. No other loopback port is trusted with a credential.
    PRYZM_LOCAL_ORG_URLS: [10, 11, 12, 13]
      .map((offset) => `http://${host}:${basePort + offset}`)
      .join(','),
    SALESFORCE_CLIENT_ID: app.clientId,
    SALESFORCE_CLIENT_SECRET: app.clientSecret,
  };
}
