import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { ApiError } from '../core/contracts.ts';
import type { Enlistment } from '../org/enlistment.ts';
import { Transaction } from '../org/transaction.ts';
import { apiContext, restOrigin, sendErrors, sendJson } from './respond.ts';

/**
 * `/composite`: up to 25 subrequests run in order in one transaction, later ones referring to
 * earlier results with `@{referenceId.path}`. With `allOrNone` one failure rolls all back.
 * Subrequests go through the same HTTP API (on the org's own port) carrying a header that
 * enlists their writes in the composite's transaction and keeps them off the API count.
 */

export const COMPOSITE_HEADER = 'x-localorg-composite';
const MAX_SUBREQUESTS = 25;
/**
 * "Up to 5 of these subrequests can be sObject Collections or query operations, including Query
 * and QueryAll requests"
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm).
 */
const MAX_COLLECTION_OR_QUERY_SUBREQUESTS = 5;
const COLLECTION_OR_QUERY =
  /^\/services\/data\/v[\d.]+\/(?:composite\/sobjects|query|queryAll)(?:[/?]|$)/;

/** Composite transactions in progress, by the id their subrequests carry. */
export const openComposites = new Map<string, Enlistment>();

interface SubRequest {
  method?: string;
  url?: string;
  referenceId?: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const ROLLED_BACK: ApiError[] = [
  {
    message:
      'The transaction was rolled back since another operation in the same transaction failed.',
    errorCode: 'PROCESSING_HALTED',
  },
];

/** Reads `records[0].Id`-style paths off a subrequest's JSON result. */
function lookupPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.').flatMap((p) => p.split(/[[\]]/).filter(Boolean))) {
    if (current === null || current === undefined) return undefined;
    current = /^\d+$/.test(part)
      ? (current as unknown[])[Number(part)]
      : (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Replaces `@{ref.path}`; returns the unresolved reference when one has no value. */
function resolveReferences(
  text: string,
  results: Map<string, unknown>,
): { text: string; missing?: string } {
  let missing: string | undefined;
  const out = text.replace(
    /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g,
    (whole, ref: string, path: string) => {
      const value = results.has(ref)
        ? lookupPath(results.get(ref), path.replace(/^\./, ''))
        : undefined;
      if (value === undefined || value === null || typeof value === 'object') {
        missing ??= whole.slice(2, -1);
        return whole;
      }
      return String(value);
    },
  );
  return missing ? { text: out, missing } : { text: out };
}

export function compositeRouter(): Router {
  const r = Router({ mergeParams: true });
  r.post('/composite', async (req: Request, res) => {
    const { org, session, version } = apiContext(res);
    const body = (req.body ?? {}) as { allOrNone?: unknown; compositeRequest?: unknown };
    const subs = body.compositeRequest;
    if (!Array.isArray(subs) || subs.length === 0) {
      return sendErrors(res, 400, [
        { message: 'compositeRequest is required', errorCode: 'MISSING_ARGUMENT' },
      ]);
    }
    if (subs.length > MAX_SUBREQUESTS) {
      return sendErrors(res, 400, [
        {
          message: `The number of subrequests exceeds the limit of ${MAX_SUBREQUESTS}.`,
          errorCode: 'LIMIT_EXCEEDED',
        },
      ]);
    }
    const heavy = (subs as SubRequest[]).filter((sub) =>
      COLLECTION_OR_QUERY.test(String(sub?.url ?? '')),
    ).length;
    if (heavy > MAX_COLLECTION_OR_QUERY_SUBREQUESTS) {
      return sendErrors(res, 400, [
        {
          message: `The number of sObject Collections and query subrequests exceeds the limit of ${MAX_COLLECTION_OR_QUERY_SUBREQUESTS}.`,
          errorCode: 'LIMIT_EXCEEDED',
        },
      ]);
    }
    const allOrNone = body.allOrNone === true;
    const tx = new Transaction(session.userId, restOrigin(version));
    const id = randomUUID();
    openComposites.set(id, { orgId: org.id, tx });
    const base = org.instanceUrl.replace(/^https:/, 'http:');
    const results = new Map<string, unknown>();
    const responses: SubResponse[] = [];
    let failed = false;
    try {
      for (const raw of subs as SubRequest[]) {
        const referenceId = String(raw.referenceId ?? '');
        if (failed && allOrNone) {
          responses.push({ body: ROLLED_BACK, httpHeaders: {}, httpStatusCode: 400, referenceId });
          continue;
        }
        const url = resolveReferences(String(raw.url ?? ''), results);
        const payload =
          raw.body === undefined ? undefined : resolveReferences(JSON.stringify(raw.body), results);
        const missing = url.missing ?? payload?.missing;
        if (missing) {
          failed = true;
          responses.push({
            body: [
              {
                message: `Invalid reference specified. No value for ${missing} found in ${missing.split(/[.[]/)[0] ?? ''}. Provided referenceId ensure it is correct.`,
                errorCode: 'PROCESSING_HALTED',
              },
            ],
            httpHeaders: {},
            httpStatusCode: 400,
            referenceId,
          });
          continue;
        }
        if (!url.text.startsWith('/services/data/')) {
          failed = true;
          responses.push({
            body: [
              {
                message: `The URL must start with /services/data/: ${url.text}`,
                errorCode: 'INVALID_INPUT',
              },
            ],
            httpHeaders: {},
            httpStatusCode: 400,
            referenceId,
          });
          continue;
        }
        const sub = await fetch(`${base}${url.text}`, {
          method: String(raw.method ?? 'GET').toUpperCase(),
          headers: {
            ...(raw.httpHeaders ?? {}),
            Authorization: req.get('authorization') ?? '',
            'Content-Type': 'application/json',
            [COMPOSITE_HEADER]: id,
          },
          body: payload?.text,
        });
        const text = await sub.text();
        const parsed: unknown = text === '' ? null : JSON.parse(text);
        const httpHeaders: Record<string, string> = {};
        if (sub.status === 201 && parsed && typeof parsed === 'object' && 'id' in parsed) {
          const objectPath = url.text.split('?')[0]?.replace(/\/$/, '');
          httpHeaders['Location'] = `${objectPath}/${String((parsed as { id: unknown }).id)}`;
        }
        if (sub.status >= 400) failed = true;
        else results.set(referenceId, parsed);
        responses.push({ body: parsed, httpHeaders, httpStatusCode: sub.status, referenceId });
      }
    } finally {
      openComposites.delete(id);
    }
    if (failed && allOrNone) {
      tx.rollback();
      for (const response of responses) {
        if (response.httpStatusCode < 400) {
          response.body = ROLLED_BACK;
          response.httpHeaders = {};
          response.httpStatusCode = 400;
        }
      }
    } else {
      org.commit(tx);
    }
    sendJson(res, 200, { compositeResponse: responses });
  });
  return r;
}
