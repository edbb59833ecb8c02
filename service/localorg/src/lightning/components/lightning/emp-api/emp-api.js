/**
 * `lightning/empApi` over the local org's event bus: each subscription is a server-sent events
 * stream from `/lightning/emp/stream`, and every event arrives as empApi delivers it,
 * `{ channel, data: { schema, payload, event: { replayId } } }`. replayId -1 takes new events
 * only, -2 every retained event, a number the events after it; a dropped stream resumes after
 * the last event received (the browser sends it back as Last-Event-ID).
 * https://developer.salesforce.com/docs/component-library/bundle/lightning-emp-api/documentation
 * Unlike Lightning, streams are not shared over one CometD connection, and errors carry a
 * `message` beside the Bayeux `error` text.
 */
const errorListeners = [];
let debug = false;
let nextId = 1;

function failure(channel, error) {
  return { channel, error, message: error, successful: false };
}

function reportError(error) {
  if (debug) console.warn('empApi', error);
  for (const listener of errorListeners) listener(error);
}

export function subscribe(channel, replayId, onMessageCallback) {
  return new Promise((resolve, reject) => {
    const query = new URLSearchParams({ channel, replayId: String(replayId ?? -1) });
    const source = new EventSource(`/lightning/emp/stream?${query}`, { withCredentials: true });
    const subscription = { id: `emp-${nextId++}`, channel, replayId, source };
    let subscribed = false;
    source.addEventListener('subscribed', () => {
      subscribed = true;
      resolve(subscription);
    });
    source.addEventListener('failure', (event) => {
      const error = failure(channel, JSON.parse(event.data).error);
      source.close();
      if (subscribed) reportError(error);
      else reject(error);
    });
    source.addEventListener('message', (event) => onMessageCallback(JSON.parse(event.data)));
    source.onerror = () => {
      // The browser retries a dropped stream by itself; a closed one is over.
      if (source.readyState !== EventSource.CLOSED) return;
      const error = failure(channel, 'The streaming connection closed.');
      if (subscribed) reportError(error);
      else reject(error);
    };
  });
}

export function unsubscribe(subscription, callback) {
  if (subscription && subscription.source) subscription.source.close();
  const response = { successful: true, subscription: subscription && subscription.channel };
  if (typeof callback === 'function') callback(response);
  return Promise.resolve(true);
}

export function onError(callback) {
  errorListeners.push(callback);
}

export function setDebugFlag(flag) {
  debug = !!flag;
}

/** The local org's pages are desktop pages with EventSource, so empApi is always enabled. */
export function isEmpEnabled() {
  return Promise.resolve(typeof EventSource === 'function');
}
