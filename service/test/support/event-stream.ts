/** One server-sent event as a client reads it. */
export interface StreamEvent {
  id?: string;
  event?: string;
  data: unknown;
}

/**
 * Reads a `text/event-stream` answer the way EventSource does (fields per line, blank line ends
 * an event, lines starting with `:` are comments), keeping events and comments for assertions.
 */
export async function openEventStream(url: string, token?: string) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: {
      accept: 'text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    signal: controller.signal,
  });
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  const done = (async () => {
    if (!response.ok || !response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    let current: { id?: string; event?: string; data: string[] } = { data: [] };
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { done: finished, value: chunk } = await reader.read();
        if (finished) break;
        buffer += decoder.decode(chunk, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (current.data.length > 0) {
              events.push({
                id: current.id,
                event: current.event,
                data: JSON.parse(current.data.join('\n')) as unknown,
              });
            }
            current = { data: [] };
          } else if (line.startsWith(':')) {
            comments.push(line.slice(1).trim());
          } else {
            const at = line.indexOf(':');
            const field = line.slice(0, at);
            const value = line.slice(at + 1).replace(/^ /, '');
            if (field === 'data') current.data.push(value);
            else if (field === 'id') current.id = value;
            else if (field === 'event') current.event = value;
          }
          for (const waiter of waiters) waiter();
        }
      }
    } catch {
      // Aborted by close().
    } finally {
      ended = true;
      for (const waiter of waiters) waiter();
    }
  })();

  return {
    status: response.status,
    headers: response.headers,
    events,
    comments,
    get ended() {
      return ended;
    },
    /** Resolves once `test` holds (checked after every line read). */
    until(test: () => boolean, timeoutMs = 20_000): Promise<void> {
      if (test()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!test()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`stream condition not met; events: ${events.map((e) => e.event).join(', ')}`),
          );
        }, timeoutMs);
        waiters.add(check);
      });
    },
    async close() {
      controller.abort();
      await done;
    },
  };
}
