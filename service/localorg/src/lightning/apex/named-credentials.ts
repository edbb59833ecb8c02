/**
 * The package's Pryzm_Service Named Credential in each local org, and the callouts Apex makes
 * through it (`callout:Pryzm_Service/<path>`). Its URL starts as the package metadata's
 * placeholder; an admin sets the URL and the API key (the External Credential's principal
 * parameter) in Setup, here over `PUT /_localorg/orgs/:orgId/named-credentials/Pryzm_Service`.
 * The External Credential sends `Authorization: Bearer <key>`, as its formula says
 * (force-app/main/default/externalCredentials/Pryzm_Service.externalCredential-meta.xml).
 *
 * A user may call out through it only when one of their permission sets grants access to the
 * External Credential's principal (Pryzm Admin does); otherwise the callout fails before any
 * request with a credential access message ("External credential principals map to permission
 * sets to authorize users to make callouts", Named Credentials Schema,
 * https://help.salesforce.com/s/articleView?id=xcloud.nc_parts_of_nc.htm&type=5).
 * The local org runs offline: it calls out to hosts on this machine only and fails a callout
 * to any other host as an unreachable endpoint.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Org } from '../../org/org.ts';

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

/** The package's permission sets that grant access to a principal of the credential. */
function principalHolders(forceAppDir: string | undefined): Set<string> {
  const dir = forceAppDir ? join(forceAppDir, 'main', 'default', 'permissionsets') : undefined;
  const holders = new Set<string>();
  if (!dir || !existsSync(dir)) return holders;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.permissionset-meta.xml'))) {
    const xml = readFileSync(join(dir, file), 'utf8');
    const grants = [
      ...xml.matchAll(
        /<externalCredentialPrincipalAccesses>([\s\S]*?)<\/externalCredentialPrincipalAccesses>/g,
      ),
    ].some(
      ([, body]) =>
        /<enabled>true<\/enabled>/.test(body!) &&
        new RegExp(`<externalCredentialPrincipal>${PRYZM_SERVICE}-`).test(body!),
    );
    if (grants) holders.add(file.replace('.permissionset-meta.xml', ''));
  }
  return holders;
}

/** The callout error without principal access, as the package's Apex tests record it. */
export const NO_PRINCIPAL_ACCESS =
  "We couldn't access the credential(s). You might not have the required permissions.";

export class NamedCredentials {
  private readonly byOrg = new Map<string, NamedCredential>();
  private readonly defaultUrl: string;
  private readonly holders: Set<string>;

  constructor(forceAppDir: string | undefined) {
    this.defaultUrl = packagedUrl(forceAppDir);
    this.holders = principalHolders(forceAppDir);
  }

  /** Whether one of the user's permission sets grants access to the credential's principal. */
  mayUse(org: Org, userId: string): boolean {
    return [...org.records('PermissionSetAssignment')]
      .filter((a) => !a.IsDeleted && a['AssigneeId'] === userId)
      .map((a) => org.findById(String(a['PermissionSetId']))?.record['Name'])
      .some((name) => typeof name === 'string' && this.holders.has(name));
  }

  get(orgId: string): NamedCredential {
    return this.byOrg.get(orgId) ?? { url: this.defaultUrl };
  }

  set(orgId: string, credential: NamedCredential): void {
    this.byOrg.set(orgId, credential);
  }

  /** `GET callout:Pryzm_Service<path>` with `Accept: application/json`, as PryzmServiceClient does. */
  async callout(org: Org, userId: string, path: string): Promise<CalloutResult> {
    const credential = this.get(org.id);
    const result: CalloutResult = { statusCode: null, body: {}, error: null };
    if (!this.mayUse(org, userId)) {
      result.error = NO_PRINCIPAL_ACCESS;
      return result;
    }
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
        const message = errorMessage(result.body);
        result.error = `HTTP ${response.status}${message === undefined ? '' : `: ${String(message)}`}`;
      }
    } catch (error) {
      const e = error as Error;
      result.error = e.name === 'TimeoutError' ? 'Read timed out' : e.message;
    }
    return result;
  }
}

/** PryzmServiceClient.errorMessage: the service's `error.message`, or a top-level `message`. */
function errorMessage(body: Record<string, unknown>): unknown {
  const error = body['error'];
  if (error && typeof error === 'object' && !Array.isArray(error)) {
    const nested = (error as Record<string, unknown>)['message'];
    if (nested !== undefined && nested !== null) return nested;
  }
  return body['message'];
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
