/**
 * Live @mention announcements (issue #17): when a teammate's note mentions the
 * signed-in agent, a toast says who and links to the conversation (a polite
 * live region, so screen readers announce it), and the Mentions list is
 * re-read from the server (its counter follows every shout already). Mounted
 * once by the sidebar.
 */
import { A } from '@solidjs/router';
import { For, createSignal, onCleanup, type JSX } from 'solid-js';
import { EVENTS } from '../../../gateway/protocol/index.js';
import { agentName, listKey } from '../lib/lists';
import { mentionsMe } from '../lib/mentions';
import { useAgents } from '../stores/agents';
import { useConversations } from '../stores/conversations';
import { useRealtime } from '../stores/realtime';
import { useSession } from '../stores/session';

interface Toast {
  id: string;
  conversationId: string;
  who: string;
  snippet: string;
}

/** How long a toast stays (it can be dismissed earlier; the Mentions list keeps the mention). */
const TOAST_MS = 12_000;
const MAX_TOASTS = 3;

export function MentionAlerts(): JSX.Element {
  const [session] = useSession();
  const [, agents] = useAgents();
  const [conversations, actions] = useConversations();
  const [, realtime] = useRealtime();
  const [toasts, setToasts] = createSignal<Toast[]>([]);
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const dismiss = (id: string): void => {
    setToasts((list) => list.filter((t) => t.id !== id));
  };
  onCleanup(
    realtime.subscribe((e) => {
      if (e.event !== EVENTS.shout) return;
      const m = e.payload;
      if (!mentionsMe(m, session.session?.user_id ?? 0)) return;
      const who = m.user ? agentName(m.user) : agentName(agents.userById(m.user_id));
      const body = (m.body ?? '').replace(/\s+/g, ' ').trim();
      const toast: Toast = {
        id: m.id,
        conversationId: m.conversation_id,
        who,
        snippet: body.length > 120 ? `${body.slice(0, 117)}…` : body,
      };
      setToasts((list) => [...list.filter((t) => t.id !== toast.id), toast].slice(-MAX_TOASTS));
      const timer = setTimeout(() => {
        timers.delete(timer);
        dismiss(toast.id);
      }, TOAST_MS);
      timers.add(timer);
      if (conversations.lists[listKey({ kind: 'mentions' })]) void actions.refreshList({ kind: 'mentions' });
    }),
  );
  onCleanup(() => timers.forEach((t) => clearTimeout(t)));

  return (
    <div class="mention-toasts" role="status" aria-live="polite" data-testid="mention-toasts">
      <For each={toasts()}>
        {(t) => (
          <div class="mention-toast" data-testid="mention-toast">
            <p>
              <strong>{t.who}</strong> mentioned you{t.snippet ? ':' : ''} <span class="muted">{t.snippet}</span>
            </p>
            <div class="mention-toast-actions">
              <A href={`/inbox/mentions/${t.conversationId}`} class="btn small primary" onClick={() => dismiss(t.id)}>
                Open
              </A>
              <button type="button" class="btn small ghost" aria-label={`Dismiss the mention from ${t.who}`} onClick={() => dismiss(t.id)}>
                Dismiss
              </button>
            </div>
          </div>
        )}
      </For>
    </div>
  );
}
