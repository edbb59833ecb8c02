import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { isPrivateAddress, publicOnlyLookup } from './target-url.ts';

export type PostResult = { status: number } | { error: string };

/**
 * POSTs a body once: no redirect is followed (a 3xx is an answer like any other), the answer is
 * read and dropped, and the address dialled must be public unless configuration allows private
 * ones. Node's `lookup` hook sees host names only, so an IP literal is checked here.
 */
export function postOnce(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<PostResult> {
  const url = new URL(target);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivate && isIP(host) && isPrivateAddress(host)) {
    return Promise.resolve({ error: `${host} is a private address` });
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const outgoing = send(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Pryzm-Webhooks/1',
        },
        lookup: publicOnlyLookup(options.allowPrivate),
        timeout: options.timeoutMs,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
        response.on('error', (error) => resolve({ error: error.message }));
      },
    );
    outgoing.on('timeout', () =>
      outgoing.destroy(new Error(`no answer in ${options.timeoutMs} ms`)),
    );
    outgoing.on('error', (error) => resolve({ error: error.message }));
    outgoing.end(body);
  });
}
