import {
  type OrgApiUsage,
  type CallKind,
  type OrgUsageObserver,
  type UsageRecorder,
} from './usage.ts';

/** The access token and instance a connection currently holds. */
export interface Session {
  accessToken: string;
  instanceUrl: string;
}

/**
 * Supplies sessions to the client: the stored one, and a refreshed one when Salesforce says the
 * stored one expired. `refresh` is single-flight per connection and throws when the org must be
 * re-authorised.
 */
export interface SessionProvider {
  current(): Promise<Session>;
  refresh(expired: Session): Promise<Session>;
}

/**
 * A failed Salesforce REST call with Salesforce's error code (`INVALID_FIELD`, `NOT_FOUND`...)
 * and, for raw requests (`SalesforceClient.fetch`), the HTTP status it came with.
 */
export class SalesforceApiError extends Error {
  override readonly name = 'SalesforceApiError';
  constructor(
    readonly errorCode: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * Retries of a request that failed for a reason that passes: a 5xx answer, a row lock another
 * transaction held (`UNABLE_TO_LOCK_ROW`), a dropped connection. Every attempt is counted.
 */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [500, 2_000, 5_000];

const TRANSIENT_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'QUERY_TIMEOUT']);

/** Whether trying the same request again later may succeed. */
export function isTransient(error: unknown): boolean {
  if (error instanceof SalesforceApiError) {
    return TRANSIENT_CODES.has(error.errorCode) || (error.status ?? 0) >= 500;
  }
  // undici's network failures: connection refused or reset, socket closed, DNS.
  return error instanceof TypeError && /fetch failed|terminated|socket/i.test(error.message);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** A raw request to the org's instance (`SalesforceClient.fetch`). */
export interface SalesforceRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'HEAD';
  headers?: Record<string, string>;
  /** Sent as is; a string so the request can be repeated after a session refresh. */
  body?: string;
  signal?: AbortSignal;
  /** How Salesforce counts the request; `api` unless told otherwise. */
  kind?: CallKind;
}

/** The HTTP function the client sends raw requests with (the global `fetch` by default). */
export type HttpFetch = (url: string, init: RequestInit) => Promise<Response>;

/** The connection cannot call Salesforce until someone re-authorises it (or reconnects it). */
export class ReauthorizationRequiredError extends Error {
  override readonly name = 'ReauthorizationRequiredError';
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** `api-usage=25/15000` (with or without other entries) as used and limit. */
export function parseLimitInfo(header: string | null | undefined): OrgApiUsage | undefined {
  const match = /(?:^|[,;\s])api-usage=(\d+)\/(\d+)/i.exec(header ?? '');
  if (!match) return undefined;
  return { used: Number(match[1]), limit: Number(match[2]) };
}

/**
 * The error a non-2xx answer stands for, its body read: Salesforce's `[{message, errorCode}]`
 * (or one such object, or OAuth's `{error, error_description}`); a 3xx is never followed.
 */
export async function responseError(response: Response): Promise<SalesforceApiError> {
  const status = response.status;
  const text = await response.text().catch(() => '');
  if (status >= 300 && status < 400) {
    if (status === 300) {
      return new SalesforceApiError('MULTIPLE_CHOICES', `Several records match: ${text}`, status);
    }
    const location = response.headers.get('location') ?? 'nowhere';
    return new SalesforceApiError(
      'REDIRECT',
      `Salesforce answered ${status} to ${location}; redirects are not followed`,
      status,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const first = (Array.isArray(body) ? body[0] : body) as Record<string, unknown> | undefined;
  const code = first?.['errorCode'] ?? first?.['error'];
  const message = first?.['message'] ?? first?.['error_description'];
  if (typeof code === 'string') {
    return new SalesforceApiError(code, typeof message === 'string' ? message : code, status);
  }
  return new SalesforceApiError(
    `HTTP_${status}`,
    `Salesforce answered ${status}: ${text.slice(0, 500)}`,
    status,
  );
}

export interface OrganizationInfo {
  Id: string;
  Name: string;
  OrganizationType: string | null;
  IsSandbox: boolean;
  InstanceName: string | null;
}

export interface UserInfo {
  organizationId: string;
  userId: string;
  username: string;
}

/**
 * The one way the service talks to an org's REST API. Every request is counted through the
 * usage recorder; an expired session is refreshed once and the call retried; transient failures
 * are retried with backoff; redirects are never followed, so the token only ever goes to the
 * instance the session names.
 */
export class SalesforceClient {
  constructor(
    private readonly sessions: SessionProvider,
    private readonly apiVersion: string,
    private readonly record: UsageRecorder,
    private readonly observeOrgUsage?: OrgUsageObserver,
    private readonly httpFetch: HttpFetch = (url, init) => globalThis.fetch(url, init),
    /** Waits before each retry of a transient failure (5xx, lock, network); one entry per retry. */
    private readonly retryDelaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS,
  ) {}

  /** `/services/data/v63.0/<resource>` for this client's API version. */
  dataPath(resource: string): string {
    const version = this.apiVersion.replace(/^v/i, '');
    return `/services/data/v${version}/${resource.replace(/^\/+/, '')}`;
  }

  /**
   * One raw HTTP request to the org's instance (`path` from the instance root, such as
   * `dataPath('jobs/query')`), counted as one call of `init.kind` and sent with the session's
   * bearer token. The org's `Sforce-Limit-Info` is passed to the usage observer; an expired
   * session is refreshed once and the request repeated. Redirects are never followed, so the
   * token never leaves the instance: a 3xx answer is an error, as is any other non-2xx one
   * (`SalesforceApiError` with Salesforce's `errorCode`). Answers the response unread, so its
   * body can be streamed.
   */
  async fetch(path: string, init: SalesforceRequest = {}): Promise<Response> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.fetchOnce(path, init);
      } catch (error) {
        const wait = this.retryDelaysMs[attempt];
        if (wait === undefined || init.signal?.aborted || !isTransient(error)) throw error;
        // Full jitter: retries of many clients hitting the same lock or outage spread out.
        await sleep(wait / 2 + Math.random() * wait, init.signal);
      }
    }
  }

  private async fetchOnce(path: string, init: SalesforceRequest): Promise<Response> {
    const session = await this.sessions.current();
    const first = await this.send(session, path, init);
    if (first.ok) return first;
    const error = await responseError(first);
    if (error.errorCode !== 'INVALID_SESSION_ID' || first.status !== 401) throw error;
    const renewed = await this.sessions.refresh(session);
    const second = await this.send(renewed, path, init);
    if (second.ok) return second;
    throw await responseError(second);
  }

  private async send(session: Session, path: string, init: SalesforceRequest): Promise<Response> {
    if (!path.startsWith('/') || path.startsWith('//')) {
      throw new Error(`A Salesforce request path starts with one '/': ${path}`);
    }
    const instance = new URL(session.instanceUrl);
    const url = new URL(path, instance);
    if (url.origin !== instance.origin) throw new Error(`Not on the org's instance: ${path}`);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...lowerCaseKeys(init.headers ?? {}),
      authorization: `Bearer ${session.accessToken}`,
    };
    if (init.body !== undefined && headers['content-type'] === undefined) {
      headers['content-type'] = 'application/json';
    }
    this.record(init.kind ?? 'api');
    const response = await this.httpFetch(url.toString(), {
      method: init.method ?? 'GET',
      headers,
      body: init.body,
      signal: init.signal,
      redirect: 'manual',
    });
    const usage = parseLimitInfo(response.headers.get('sforce-limit-info'));
    if (usage && this.observeOrgUsage) this.observeOrgUsage(usage);
    return response;
  }

  /** JSON of a GET on the org's REST API (`dataPath` resource), counted and never redirected. */
  private async getJson<T>(path: string, kind: CallKind = 'api'): Promise<T> {
    const response = await this.fetch(path, { kind });
    return (await response.json()) as T;
  }

  describeGlobal(): Promise<unknown> {
    return this.getJson(this.dataPath('sobjects'));
  }

  describe(objectName: string): Promise<unknown> {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(objectName)) {
      return Promise.reject(
        new SalesforceApiError('NOT_FOUND', `Not an object name: ${objectName}`),
      );
    }
    return this.getJson(this.dataPath(`sobjects/${objectName}/describe`));
  }

  async organization(): Promise<OrganizationInfo> {
    const soql = 'SELECT Id, Name, OrganizationType, IsSandbox, InstanceName FROM Organization';
    const result = await this.getJson<{ records: OrganizationInfo[] }>(
      this.dataPath(`query?q=${encodeURIComponent(soql)}`),
    );
    const organization = result.records[0];
    if (!organization) throw new SalesforceApiError('NOT_FOUND', 'No Organization record');
    return organization;
  }

  async userInfo(): Promise<UserInfo> {
    const info = await this.getJson<{
      organization_id: string;
      user_id: string;
      preferred_username: string;
    }>('/services/oauth2/userinfo', 'auth');
    return {
      organizationId: info.organization_id,
      userId: info.user_id,
      username: info.preferred_username,
    };
  }
}
