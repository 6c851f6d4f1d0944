/**
 * Session replay's real-time side (issue #20): the agent topics of
 * gateway/channels/events.ts on a socket of their own, opened by the pages
 * that need it (live visitors, the player) and closed when they unmount, so
 * the rest of the console pays nothing for it.
 * - `watchLiveSessions`: `events:admin:<account>:all`, its `presence_state` /
 *   `presence_diff` kept as a map (lib/api-browser-sessions.ts) and read as live sessions.
 * - `watchSessionEvents`: `events:admin:<account>:<session>`, each
 *   `replay:events` batch handed over as rrweb events with their seq (the
 *   server sends every event so, also those a legacy recorder pushed as
 *   `replay:event:emitted`, which is therefore not listened to: it would
 *   apply them twice).
 * A refused join (another account, a signed-out agent) is reported as
 * `unauthorized`; a dropped socket as `reconnecting` until it is back.
 */
import { Socket, type Channel } from 'phoenix';
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import { EVENTS, SOCKET_PATH, eventsAdminTopic } from '../../../gateway/protocol/index.js';
import {
  REPLAY_EVENTS,
  applySessionDiff,
  applySessionState,
  liveSessions,
  sessionPresenceDiffSchema,
  sessionPresenceStateSchema,
  replayEventsPushSchema,
  type LiveSession,
  type ReplayEvent,
  type SessionPresence,
} from '../lib/api-browser-sessions';
import { parseWire } from '../lib/wire';
import type { ApiClient } from '../lib/api';

export type ReplayConnection = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

function openSocket(api: Pick<ApiClient, 'session' | 'renew'>): Socket {
  const socket = new Socket(SOCKET_PATH.replace(/\/websocket$/, ''), {
    params: () => ({ token: api.session()?.token ?? '' }),
    heartbeatIntervalMs: 30_000,
    reconnectAfterMs: (tries: number) => [250, 500, 1000, 2000, 4000][tries - 1] ?? 5000,
    rejoinAfterMs: (tries: number) => [250, 1000, 2000][tries - 1] ?? 5000,
  });
  socket.connect();
  return socket;
}

/** Join `topic` on a new socket; `onJoined` after every (re)join. Returns the connection state and a close function. */
function joinTopic(
  api: Pick<ApiClient, 'session' | 'renew'>,
  topic: string,
  setup: (channel: Channel) => void,
  onJoined?: (isRejoin: boolean) => void,
): { state: Accessor<ReplayConnection>; close: () => void } {
  const [state, setState] = createSignal<ReplayConnection>('connecting');
  const socket = openSocket(api);
  const channel = socket.channel(topic, {});
  setup(channel);
  let joins = 0;
  let refusals = 0;
  channel.onError(() => {
    if (state() !== 'unauthorized') setState('reconnecting');
  });
  channel
    .join()
    .receive('ok', () => {
      refusals = 0;
      setState('open');
      onJoined?.(joins++ > 0);
    })
    .receive('error', () => {
      refusals++;
      // The first refusal may be an expired token: renew once and let the client rejoin; a second is final.
      if (refusals === 1) void api.renew().catch(() => undefined);
      else {
        setState('unauthorized');
        channel.leave();
      }
    });
  return {
    state,
    close: () => {
      channel.leave();
      socket.disconnect();
    },
  };
}

/** The account's live sessions, kept up to date while the calling component lives. */
export function watchLiveSessions(
  api: Pick<ApiClient, 'session' | 'renew'>,
  accountId: string,
): { sessions: Accessor<LiveSession[]>; state: Accessor<ReplayConnection>; received: Accessor<boolean> } {
  const [presence, setPresence] = createSignal<SessionPresence>({});
  // True once the first presence_state arrived: before it the list is "loading", not "empty".
  const [received, setReceived] = createSignal(false);
  const joined = joinTopic(api, eventsAdminTopic(accountId, 'all'), (channel) => {
    channel.on(EVENTS.presenceState, (payload: unknown) => {
      const p = parseWire(sessionPresenceStateSchema, payload, 'live sessions');
      if (!p) return;
      setPresence(applySessionState(p));
      setReceived(true);
    });
    channel.on(EVENTS.presenceDiff, (payload: unknown) => {
      const p = parseWire(sessionPresenceDiffSchema, payload, 'live sessions change');
      if (p) setPresence(applySessionDiff(presence(), p));
    });
  });
  onCleanup(joined.close);
  return { sessions: () => liveSessions(presence()), state: joined.state, received };
}

/** One session's events as the visitor records them: `onEvents` per push; `onRejoin` after a reconnect (fetch what was missed). */
export function watchSessionEvents(
  api: Pick<ApiClient, 'session' | 'renew'>,
  accountId: string,
  sessionId: string,
  handlers: { onEvents: (events: { seq: number | null; event: ReplayEvent }[]) => void; onJoined?: (isRejoin: boolean) => void },
): { state: Accessor<ReplayConnection>; close: () => void } {
  return joinTopic(
    api,
    eventsAdminTopic(accountId, sessionId),
    (channel) => {
      channel.on(REPLAY_EVENTS.batch, (payload: unknown) => {
        const p = parseWire(replayEventsPushSchema, payload, 'replay events');
        if (p) handlers.onEvents(p.events.map((e) => ({ seq: e.seq ?? null, event: e.event })));
      });
    },
    handlers.onJoined,
  );
}
