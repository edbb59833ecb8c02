import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request a piece of work runs for. The HTTP layer opens it per request; the logger reads it
 * so every line written while serving a request (by a route, a use case or the store) carries
 * the request's id without anyone passing it along.
 */
const requests = new AsyncLocalStorage<{ requestId: string }>();

export function runInRequest<T>(requestId: string, work: () => T): T {
  return requests.run({ requestId }, work);
}

export function currentRequestId(): string | undefined {
  return requests.getStore()?.requestId;
}
