// When `npm start` runs the local org beside the service, the service should be able to connect
// to it out of the box: its production and sandbox login hosts are the local org's (base port and
// base port + 1) and its connected app is the one every local org registers. A user who set any
// Salesforce variable is pointing at a real org, so then nothing is filled in: mixing a real
// org's login host with the local org's app (or the reverse) could only fail in confusing ways.

/** The connected app every local org registers (see service/localorg/src/org/config.ts). */
export const LOCAL_ORG_CONNECTED_APP = {
  clientId: '3MVG9PryzmLocalOrgConnectedAppConsumerKey',
  clientSecret: 'PRYZMLOCALORGCONSUMERSECRET0001',
};

const SALESFORCE_VARIABLES = [
  'SALESFORCE_LOGIN_URL',
  'SALESFORCE_SANDBOX_LOGIN_URL',
  'SALESFORCE_CLIENT_ID',
  'SALESFORCE_CLIENT_SECRET',
];

/** The service's environment when the local org listens on `host:basePort`. */
export function serviceEnvForLocalOrg(env, host = '127.0.0.1', basePort = 6100) {
  if (SALESFORCE_VARIABLES.some((name) => env[name])) return { ...env };
  return {
    ...env,
    SALESFORCE_LOGIN_URL: `http://${host}:${basePort}`,
    SALESFORCE_SANDBOX_LOGIN_URL: `http://${host}:${basePort + 1}`,
    SALESFORCE_CLIENT_ID: LOCAL_ORG_CONNECTED_APP.clientId,
    SALESFORCE_CLIENT_SECRET: LOCAL_ORG_CONNECTED_APP.clientSecret,
  };
}
