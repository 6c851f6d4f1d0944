/**
 * The console's real-time connection: the official `phoenix` client on
 * `/socket/websocket` (Phoenix Channels v2), joined to the agent topic
 * `notification:<account_id>` (docs/compatibility.md#real-time). It reports the connection
 * state for the offline banner, every event of the topic, and each (re)join so
 * the stores can re-fetch what they may have missed (docs/realtime.md#resume-without-gaps).
 */
import { Socket, type Channel } from 'phoenix';
import { accountTopic, EVENTS, SOCKET_PATH } from '../../../gateway/protocol/index.js';
import { z } from 'zod';
import { parseAccountEvent, type AccountEvent, type AccountEventName } from './wire.js';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'offline';

/** Events of the agent topic the console listens to. */
export const ACCOUNT_EVENTS: readonly AccountEventName[] = [
  EVENTS.shout,
  EVENTS.conversationCreated,
  EVENTS.conversationUpdated,
  EVENTS.conversationTags,
  EVENTS.typing,
  EVENTS.messagesSeen,
  EVENTS.presenceState,
  EVENTS.presenceDiff,
  EVENTS.recordChanged,
  EVENTS.slaChanged,
  EVENTS.slaAlert,
];

/** An error reply: the server's reason, in either spelling. */
const errorReplySchema = z.object({ message: z.string().optional(), reason: z.string().optional() });

export interface RealtimeHandlers {
  onState(state: ConnectionState): void;
  /** Every event of the topic whose payload matches its wire schema (others are logged and dropped). */
  onEvent(event: AccountEvent): void;
  /** After every successful join; `isRejoin` after a reconnect. */
  onJoined(isRejoin: boolean): void;
  /** The server refused the socket or the join (often an expired token). */
  onAuthProblem(): void;
}

export interface Realtime {
  /** Push on the agent topic; resolves with the ok reply (unparsed: the caller knows its schema), rejects with the error reply or a timeout. */
  push(event: string, payload: Record<string, unknown>, timeoutMs?: number): Promise<unknown>;
  /** Fire and forget (typing): no reply expected. */
  cast(event: string, payload: Record<string, unknown>): void;
  isConnected(): boolean;
  /** Drop the connection and connect again (after a token renewal). */
  reconnect(): void;
  disconnect(): void;
}

export function connectRealtime(opts: {
  accountId: string;
  token: () => string | undefined;
  handlers: RealtimeHandlers;
  /** Join payload, read at every (re)join: `{conversations: {<id>: <last seq>}}` asks the server for what was missed. */
  joinPayload?: () => Record<string, unknown>;
}): Realtime {
  const { handlers } = opts;
  const socket = new Socket(SOCKET_PATH.replace(/\/websocket$/, ''), {
    params: () => ({ token: opts.token() ?? '' }),
    heartbeatIntervalMs: 30_000,
    reconnectAfterMs: (tries: number) => [250, 500, 1000, 2000, 4000][tries - 1] ?? 5000,
    rejoinAfterMs: (tries: number) => [250, 1000, 2000][tries - 1] ?? 5000,
  });
  let everOpen = false;
  let failures = 0;
  let joins = 0;
  let closedByUs = false;
  handlers.onState('connecting');

  socket.onOpen(() => {
    everOpen = true;
    failures = 0;
  });
  socket.onError(() => {
    failures++;
    handlers.onState(everOpen ? 'reconnecting' : failures > 1 ? 'offline' : 'connecting');
    // A refused upgrade looks like an error before open: the token may have expired.
    if (failures === 2 || failures % 5 === 0) handlers.onAuthProblem();
  });
  socket.onClose(() => {
    if (!closedByUs) handlers.onState(everOpen ? 'reconnecting' : 'connecting');
  });

  // The phoenix client evaluates a function payload at every join, so a rejoin carries the latest seqs
  // (its typings declare `object`, which a function is).
  const joinPayload = (): Record<string, unknown> => opts.joinPayload?.() ?? {};
  const channel: Channel = socket.channel(accountTopic(opts.accountId), joinPayload);
  for (const event of ACCOUNT_EVENTS) {
    channel.on(event, (payload: unknown) => {
      const parsed = parseAccountEvent(event, payload);
      if (parsed) handlers.onEvent(parsed);
    });
  }
  channel.onError(() => {
    if (!closedByUs) handlers.onState('reconnecting');
  });
  channel
    .join()
    .receive('ok', () => {
      joins++;
      handlers.onState('open');
      handlers.onJoined(joins > 1);
    })
    .receive('error', () => {
      handlers.onState('reconnecting');
      handlers.onAuthProblem();
    });
  socket.connect();

  return {
    push(event, payload, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        if (!socket.isConnected() || channel.state !== 'joined') {
          reject(new Error('Not connected: your message was not sent'));
          return;
        }
        channel
          .push(event, payload, timeoutMs)
          .receive('ok', (reply: unknown) => resolve(reply))
          .receive('error', (reply: unknown) => {
            const r = errorReplySchema.safeParse(reply);
            const reason = r.success ? (r.data.message ?? r.data.reason) : undefined;
            reject(new Error(reason ?? 'The server refused the message'));
          })
          .receive('timeout', () => reject(new Error('No answer from the server: the message may not have been sent')));
      });
    },
    cast(event, payload) {
      if (socket.isConnected() && channel.state === 'joined') channel.push(event, payload, 5000);
    },
    isConnected: () => socket.isConnected() && channel.state === 'joined',
    reconnect() {
      socket.disconnect(() => socket.connect());
    },
    disconnect() {
      closedByUs = true;
      channel.leave();
      socket.disconnect();
    },
  };
}
