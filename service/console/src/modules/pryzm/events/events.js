import { storedToken, workspacePath } from 'pryzm/api';

/** After a dropped stream the console reconnects after this long (the server's `retry`). */
const RECONNECT_MS = 3000;

/**
 * Server-sent events of a workspace (`GET /api/workspaces/:id/events`). The browser's
 * EventSource cannot send an Authorization header, so the stream is read with fetch and parsed
 * here (event stream format: `event:`, `data:` and `id:` lines, a blank line ends an event).
 * Answers a function that closes the stream; `onState(true|false)` says whether it is open.
 */
export function subscribeToEvents(workspaceId, types, onEvent, onState = () => {}) {
  let controller = null;
  let closed = false;
  let timer = null;

  const dispatch = (block) => {
    let type = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0) return;
    try {
      onEvent({ type, ...JSON.parse(data.join('\n')) });
    } catch {
      // A line that is not JSON is not one of ours: skip it.
    }
  };

  const connect = async () => {
    if (closed) return;
    controller = new AbortController();
    try {
      const query = types.length ? `?types=${types.join(',')}` : '';
      const response = await fetch(`/api${workspacePath(workspaceId, `/events${query}`)}`, {
        // Signed in by a link, the session cookie speaks (a GET needs no CSRF token).
        headers: storedToken()
          ? { accept: 'text/event-stream', authorization: `Bearer ${storedToken()}` }
          : { accept: 'text/event-stream' },
        signal: controller.signal,
      });
      if (!response.ok || !response.body) throw new Error(`events answered ${response.status}`);
      onState(true);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        // Reads follow one another on one stream.
        // eslint-disable-next-line no-await-in-loop
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n/g, '\n');
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // Closed by us, or the service went away: reconnect below unless closed.
    }
    onState(false);
    if (!closed) {
      // eslint-disable-next-line @lwc/lwc/no-async-operation
      timer = setTimeout(connect, RECONNECT_MS);
    }
  };

  connect();
  return () => {
    closed = true;
    clearTimeout(timer);
    controller?.abort();
  };
}

/**
 * Refreshes a page from the workspace's events: `refresh()` runs when an event of `types`
 * (that `accept` lets through) arrives, at most once per `intervalMs`, with one more run after
 * a burst so the page ends on the last event's state. Answers the function that closes the
 * stream.
 */
export function refreshOnEvents(
  workspaceId,
  { types, accept = () => true, refresh, onState = () => {}, intervalMs = 1000 },
) {
  let timer = null;
  let last = 0;
  const run = () => {
    timer = null;
    last = Date.now();
    refresh();
  };
  const close = subscribeToEvents(
    workspaceId,
    types,
    (event) => {
      if (!accept(event) || timer) return;
      const wait = Math.max(0, last + intervalMs - Date.now());
      // eslint-disable-next-line @lwc/lwc/no-async-operation
      timer = setTimeout(run, wait);
    },
    onState,
  );
  return () => {
    clearTimeout(timer);
    close();
  };
}
