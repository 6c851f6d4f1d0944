/**
 * Real-time store (ui/README.md): the socket connection state (for the
 * offline banner), who is online (Phoenix Presence on the agent topic) and who
 * is typing where. Other stores subscribe to the topic's events through
 * `subscribe`; pushes go through `push`/`cast`.
 */
import { createContext, createEffect, on, onCleanup, useContext, type JSX } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { EVENTS } from '../../../gateway/protocol/index.js';
import { applyPresenceDiff, applyPresenceState } from '../lib/presence';
import { connectRealtime, type ConnectionState, type Realtime } from '../lib/socket';
import type { AccountEvent } from '../lib/wire';
import type { PresenceMap } from '../types';
import { useSession } from './session';

/** Who is typing in one conversation. */
export interface TypingInfo {
  customer: boolean;
  ai: boolean;
  /** Agent user ids (as strings). */
  agents: string[];
}

export interface RealtimeState {
  connection: ConnectionState;
  /** True once the first join succeeded (the banner stays hidden while the console starts). */
  everConnected: boolean;
  presence: PresenceMap;
  typing: Record<string, TypingInfo>;
}

/** Receives every event of the agent topic, parsed (lib/wire.ts). */
export type EventHandler = (event: AccountEvent) => void;

export interface RealtimeActions {
  subscribe(handler: EventHandler, onRejoin?: () => void): () => void;
  /** What to send in the join payload on a rejoin (the conversations store: last seq per open transcript). */
  setResume(fn: () => Record<string, number>): void;
  /** Resolves with the ok reply, unparsed: the caller parses it with the schema of what it pushed. */
  push(event: string, payload: Record<string, unknown>): Promise<unknown>;
  cast(event: string, payload: Record<string, unknown>): void;
}

/** Typing indicators expire if the stop event is lost. */
const TYPING_TTL_MS = 6000;

const RealtimeContext = createContext<[RealtimeState, RealtimeActions]>();

export function RealtimeProvider(props: { children: JSX.Element }): JSX.Element {
  const [session, { api }] = useSession();
  const [state, setState] = createStore<RealtimeState>({ connection: 'connecting', everConnected: false, presence: {}, typing: {} });
  const handlers = new Set<EventHandler>();
  const rejoinHandlers = new Set<() => void>();
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let connection: Realtime | undefined;
  let resume: () => Record<string, number> = () => ({});

  function setTyping(conversationId: string, who: 'customer' | 'ai' | `agent:${string}`, typing: boolean): void {
    const current = state.typing[conversationId] ?? { customer: false, ai: false, agents: [] };
    const next: TypingInfo = { ...current, agents: [...current.agents] };
    if (who === 'customer') next.customer = typing;
    else if (who === 'ai') next.ai = typing;
    else {
      const id = who.slice('agent:'.length);
      next.agents = typing ? [...new Set([...next.agents, id])] : next.agents.filter((a) => a !== id);
    }
    setState('typing', conversationId, next);
    const key = `${conversationId}|${who}`;
    clearTimeout(typingTimers.get(key));
    typingTimers.delete(key);
    if (typing)
      typingTimers.set(
        key,
        setTimeout(() => setTyping(conversationId, who, false), TYPING_TTL_MS),
      );
  }

  function onEvent(e: AccountEvent): void {
    if (e.event === EVENTS.presenceState) setState('presence', reconcile(applyPresenceState(e.payload)));
    else if (e.event === EVENTS.presenceDiff) setState('presence', reconcile(applyPresenceDiff(state.presence, e.payload)));
    else if (e.event === EVENTS.typing) {
      const p = e.payload;
      // Agents' typing goes to the customer's topic only; the agent topic carries the customer's and the AI's.
      if ('customer_id' in p) setTyping(p.conversation_id, 'customer', p.typing);
      else if (p.type === 'ai') setTyping(p.conversation_id, 'ai', p.typing);
    } else if (e.event === EVENTS.shout) {
      // A message ends the author's typing indicator.
      if (e.payload.type === 'bot') setTyping(e.payload.conversation_id, 'ai', false);
      else if (e.payload.customer_id) setTyping(e.payload.conversation_id, 'customer', false);
    }
    for (const handler of handlers) handler(e);
  }

  createEffect(
    on(
      () => session.session?.account_id,
      (accountId) => {
        connection?.disconnect();
        connection = undefined;
        setState({ connection: 'connecting', everConnected: false, presence: {}, typing: {} });
        if (!accountId) return;
        connection = connectRealtime({
          accountId,
          token: () => api.session()?.token,
          joinPayload: () => ({ conversations: resume() }),
          handlers: {
            onState: (s) => setState('connection', s),
            onEvent,
            onJoined: (isRejoin) => {
              setState('everConnected', true);
              if (isRejoin) for (const fn of rejoinHandlers) fn();
            },
            onAuthProblem: () => {
              // An expired token makes the server refuse the socket: renew, then connect with the new one.
              void api
                .renew()
                .then((s) => {
                  if (s) connection?.reconnect();
                })
                .catch(() => undefined);
            },
          },
        });
      },
    ),
  );
  onCleanup(() => {
    connection?.disconnect();
    for (const t of typingTimers.values()) clearTimeout(t);
  });

  const actions: RealtimeActions = {
    subscribe(handler, onRejoin) {
      handlers.add(handler);
      if (onRejoin) rejoinHandlers.add(onRejoin);
      return () => {
        handlers.delete(handler);
        if (onRejoin) rejoinHandlers.delete(onRejoin);
      };
    },
    setResume(fn) {
      resume = fn;
    },
    push: (event, payload) => (connection ? connection.push(event, payload) : Promise.reject(new Error('Not connected'))),
    cast: (event, payload) => connection?.cast(event, payload),
  };
  return <RealtimeContext.Provider value={[state, actions]}>{props.children}</RealtimeContext.Provider>;
}

export function useRealtime(): [RealtimeState, RealtimeActions] {
  const ctx = useContext(RealtimeContext);
  if (!ctx) throw new Error('useRealtime() needs a <RealtimeProvider> above it');
  return ctx;
}
