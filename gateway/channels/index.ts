/**
 * @module gateway/channels
 * Who may join which topic and what inbound events mean (docs/realtime.md),
 * with the original's holes closed:
 * - Q6: a customer joins only its own conversation and lobby (proved by the
 *   customer id it was issued, or our signed customer token, which accounts
 *   can require); a payload can never post as an agent; `room:<account>` is
 *   read-only and agents-only for anonymous sockets.
 * - Q4: agents reach only their own account's topics and conversations.
 * - Q10: an agent socket's token and user are re-checked on every join and
 *   write, and periodically; a revoked socket is closed.
 * Plus presence across nodes, typing, resume by `seq`, per-socket rate limits
 * and the accounts' origin allow-lists. One file per topic family:
 * `issue:lobby:<customer>` (issue.ts) and the session-replay `events:*`
 * topics (events.ts) included.
 */
import { authenticateAccessToken } from '../../services/auth/tokens.js';
import { isAppError } from '../../services/errors.js';
import type { PresenceStore } from '../../services/presence/index.js';
import type { GatewayContext } from '../context.js';
import { EVENTS, parseTopic, REASONS, SESSIONS_REVOKED_TOPIC } from '../protocol/index.js';
import type { AdmitVerdict, ChannelSpec, SocketSession } from '../socket/types.js';
import { conversationChannel } from './conversation.js';
import { eventsChannel } from './events.js';
import { issueChannel } from './issue.js';
import { customerLobbyChannel, legacyLobbyChannel } from './lobby.js';
import { notificationChannel } from './notification.js';
import { Realtime, type SocketAuth, type TopicRelay } from './realtime.js';
import { errorResponse, wasAnswered } from './replies.js';
import { roomChannel } from './room.js';

export type { SocketAuth, TopicRelay } from './realtime.js';
export { TYPING_THROTTLE_MS } from './realtime.js';

/** What every anonymous socket's `auth` is: one shared object, not one per socket. */
const ANONYMOUS: SocketAuth = Object.freeze({ kind: 'anonymous' });

/** Socket connect: a valid agent token, no token (anonymous widget), or refusal for a bad token. */
export async function authenticateSocket(ctx: GatewayContext, params: Readonly<Record<string, string>>): Promise<SocketAuth | null> {
  const token = params.token;
  if (!token || token === 'undefined' || token === 'null') return ANONYMOUS;
  try {
    return { kind: 'agent', user: await authenticateAccessToken(ctx.pool, token), token };
  } catch (err) {
    if (isAppError(err)) return null;
    throw err;
  }
}

export interface RealtimeOptions {
  /** How often agent sockets are re-validated without any activity (Q10). Default 60 s; 0 = only on joins and writes. */
  reauthIntervalMs?: number;
}

export interface Channels {
  specs: ChannelSpec<SocketAuth>[];
  /**
   * The transport's `admit` hook, when a frame arrives: per-socket rate limits (reason `rate
   * limited`), then a place in the node's conversation-command admission for a `shout` that
   * posts a message (refused at once with `{reason, retry_after}` when the node is saturated;
   * the place is given back when the frame is answered, and the handler posts with
   * `admitted: true`).
   */
  admit(session: SocketSession<SocketAuth>, topic: string, event: string): string | AdmitVerdict | undefined;
  /** Stop the periodic agent re-validation. */
  stop(): void;
  /** After the sockets closed: end the session-replay thread (gateway/replay-ingest). */
  close(): Promise<void>;
}

export function createChannels(ctx: GatewayContext, relay: TopicRelay, presence: PresenceStore, opts: RealtimeOptions = {}): Channels {
  const rt = new Realtime(ctx, relay, presence, opts.reauthIntervalMs ?? 60_000);
  // "Log out everywhere" on any node: this node's sockets of that user are re-checked now, not at the next sweep.
  const revocations = ctx.bus.subscribe(SESSIONS_REVOKED_TOPIC, (_event, payload) => {
    const userId = (payload as { user_id?: unknown } | null)?.user_id;
    if (typeof userId === 'number') rt.recheckUser(userId);
  });
  revocations.catch((err: unknown) => ctx.log.warn('bus: subscribing to session revocations failed', { err }));
  const events = eventsChannel(rt);
  return {
    specs: [
      customerLobbyChannel(rt),
      legacyLobbyChannel(rt),
      conversationChannel(rt),
      notificationChannel(rt),
      roomChannel(rt),
      issueChannel(rt),
      events,
    ],
    admit: (session, topic, event) => {
      if (!rt.allow(session, event === EVENTS.shout ? 'shout' : 'events')) return REASONS.rateLimited;
      const kind = event === EVENTS.shout ? parseTopic(topic)?.kind : undefined;
      // A shout on these posts a message (gateway/channels/conversation.ts, notification.ts).
      if (kind !== 'conversation' && kind !== 'notification') return undefined;
      try {
        ctx.conversations.admission.enter();
      } catch (err) {
        return { refuse: errorResponse(ctx, err, { topic, event }) };
      }
      return { done: (result) => ctx.conversations.admission.leave(wasAnswered(result)) };
    },
    stop: () => {
      rt.stop();
      revocations.then((unsubscribe) => unsubscribe()).catch(() => undefined);
    },
    close: () => events.close(),
  };
}
