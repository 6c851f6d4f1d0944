/**
 * @module temporal/keyed-queue
 * At most `limit` calls in flight per key, the rest waiting in arrival order.
 * The conversation client (conversation-client.ts) keeps each conversation's concurrent workflow updates under
 * Temporal's per-workflow in-flight update limit (10 by default), so a hot
 * conversation queues here instead of surfacing the limit to clients.
 */
export interface KeyedQueue {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Calls in flight plus waiting, for one key (tests, metrics). */
  depth(key: string): number;
}

export function createKeyedQueue(limit: number): KeyedQueue {
  const lanes = new Map<string, { active: number; waiting: Array<() => void> }>();

  function release(key: string): void {
    const lane = lanes.get(key);
    if (!lane) return;
    const next = lane.waiting.shift();
    if (next) next();
    else {
      lane.active -= 1;
      if (lane.active === 0) lanes.delete(key);
    }
  }

  return {
    async run(key, fn) {
      let lane = lanes.get(key);
      if (!lane) {
        lane = { active: 0, waiting: [] };
        lanes.set(key, lane);
      }
      if (lane.active < limit) lane.active += 1;
      else {
        const l = lane;
        // The slot passes straight from the finishing call to this one (active stays the same).
        await new Promise<void>((resolve) => l.waiting.push(resolve));
      }
      try {
        return await fn();
      } finally {
        release(key);
      }
    },
    depth(key) {
      const lane = lanes.get(key);
      return lane ? lane.active + lane.waiting.length : 0;
    },
  };
}
