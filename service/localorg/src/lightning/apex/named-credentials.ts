/**
 * The package's Pryzm_Service Named Credential in each local org, and the callouts Apex makes
 * through it (`callout:Pryzm_Service/<path>`). Its URL starts as the package metadata's
 * placeholder; an admin sets the URL and the API key (the External Credential's principal
 * parameter) in Setup, here over `PUT /_localorg/orgs/:orgId/named-credentials/Pryzm_Service`.
 * The External Credential sends `Authorization: Bearer <key>`, as its formula says
 * (force-app/main/default/externalCredentials/Pryzm_Service.externalCredential-meta.xml).
 *
 * The local org runs offline: it calls out to hosts on this machine only and fails a callout
 * to any other host as an unreachable endpoint.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PRYZM_SERVICE = 'Pryzm_Service';
/** PryzmServiceClient.TIMEOUT_MS: HttpRequest.setTimeout(10000). */
const TIMEOUT_MS = 10_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface NamedCredential {
  url: string;
  apiKey?: string;
}

/** PryzmServiceClient.Result: the HTTP status and JSON body, or why the callout failed. */
export interface CalloutResult {
  statusCode: number | null;
  body: Record<string, unknown>;
  error: string | null;
}

export function isOk(result: CalloutResult): boolean {
  return (
    result.error === null &&
    result.statusCode !== null &&
    result.statusCode >= 200 &&
    result.statusCode < 300
  );
}

/** The URL the package metadata ships with (a placeholder an admin replaces). */
function packagedUrl(forceAppDir: string | undefined): string {
  const file = forceAppDir
    ? join(
        forceAppDir,
        'main',
        'default',
        'namedCredentials',
        `${PRYZM_SERVICE}.namedCredential-meta.xml`,
      )
    : undefined;
  if (!file || !existsSync(file)) return 'https://pryzm.example.com';
  const match =
    /<parameterName>Url<\/parameterName>[\s\S]*?<parameterValue>([^<]+)<\/parameterValue>/.exec(
      readFileSync(file, 'utf8'),
    );
  return match?.[1]?.trim() ?? 'https://pryzm.example.com';
}

export class NamedCredentials {
  private readonly byOrg = new Map<string, NamedCredential>();
  private readonly defaultUrl: string;

  constructor(forceAppDir: string | undefined) {
    this.defaultUrl = packagedUrl(forceAppDir);
  }

  get(orgId: string): NamedCredential {
    return this.byOrg.get(orgId) ?? { url: this.defaultUrl };
  }

  set(orgId: string, credential: NamedCredential): void {
    this.byOrg.set(orgId, credential);
  }

  /** `GET callout:Pryzm_Service<path>` with `Accept: application/json`, as PryzmServiceClient does. */
  async callout(orgId: string, path: string): Promise<CalloutResult> {
    const credential = this.get(orgId);
    const result: CalloutResult = { statusCode: null, body: {}, error: null };
    let url: URL;
    try {
      url = new URL(`${credential.url.replace(/\/+$/, '')}${path}`);
    } catch {
      result.error = `Invalid endpoint: ${credential.url}`;
      return result;
    }
    if (!LOOPBACK.has(url.hostname)) {
      result.error = `Unable to reach ${url.origin}: the local org calls out to this machine only`;
      return result;
    }
    try {
      const response = await fetch(url, {
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${credential.apiKey ?? ''}`,
        },
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      result.statusCode = response.status;
      result.body = parseObject(await response.text());
      if (!isOk(result)) {
        const message = result.body['message'];
        result.error = `HTTP ${response.status}${message === undefined ? '' : `: ${String(message)}`}`;
      }
    } catch (error) {
      const e = error as Error;
      result.error = e.name === 'TimeoutError' ? 'Read timed out' : e.message;
    }
    return result;
  }
}

/** PryzmServiceClient.parseObject: a JSON object body, or an empty map. */
function parseObject(body: string): Record<string, unknown> {
  if (!body.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
