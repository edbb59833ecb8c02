/**
 * What the real-time benchmark (realtime.bench.ts) and its org's process
 * (realtime-org-process.ts) say to each other over IPC, in a module of its own: importing the org
 * process's script would start a second org in the benchmark's process, whose servers keep it
 * from exiting.
 */
export interface RealtimeOrgReady {
  type: 'ready';
  loginUrl: string;
  sandboxLoginUrl: string;
  instanceUrl: string;
  orgId: string;
  pubSubEndpoint: string;
  caPem: string;
  /** The admin's access token (their writes fire the Flows). */
  accessToken: string;
  integrationUsername: string;
}

export interface RealtimeSendRequest {
  type: 'send';
  rate: number;
  seconds: number;
  /** Records per sObject Collections call (one transaction); calls go at rate / recordsPerCall. */
  recordsPerCall: number;
  /** Whose events are timed: the Flow's platform events or the change channel's. */
  changeSource: 'flows' | 'cdc';
}

export interface RealtimeUsage {
  type: 'usage';
  /** API requests the org counted since it started, every user's. */
  apiUsed: number;
}

export interface RealtimeSent {
  type: 'sent';
  sent: number;
  sendSeconds: number;
  /** Each renamed record's last name. */
  lastNames: [string, string][];
  /** Publish times (ms since epoch) of the change source's events, by record id. */
  published: [string, number[]][];
  /** API calls the sender itself made (its Collections updates). */
  senderCalls: number;
}

export const BENCH_APP = {
  clientId: '3MVG9PryzmRealtimeBenchKey',
  clientSecret: 'PRYZMREALTIMEBENCHSECRET',
};
