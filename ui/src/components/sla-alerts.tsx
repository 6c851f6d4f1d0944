/**
 * Live SLA alerts (issue #21; docs/sla.md): an `sla:alert` meant for the signed-in agent (its
 * `recipient_ids` name them, or null: everyone) shows as a toast saying which target of which
 * conversation is due soon or was missed, with a link to it. A polite live region, so screen
 * readers announce it; dismissable, gone by itself after a while. Mounted once by the sidebar,
 * beside the mention toasts (components/mention-alerts.tsx).
 */
import { A } from '@solidjs/router';
import { For, createSignal, onCleanup, type JSX } from 'solid-js';
import { EVENTS } from '../../../gateway/protocol/index.js';
import { slaAlertIsFor, slaAlertText, type SlaAlertEvent } from '../lib/api-sla';
import { useConversations } from '../stores/conversations';
import { useRealtime } from '../stores/realtime';
import { useSession } from '../stores/session';
import type { Conversation } from '../types';

interface Toast {
  id: string;
  conversationId: string;
  kind: SlaAlertEvent['kind'];
  text: string;
}

const TOAST_MS = 20_000;
const MAX_TOASTS = 3;

export function SlaAlerts(): JSX.Element {
  const [session, { api }] = useSession();
  const [conversations] = useConversations();
  const [, realtime] = useRealtime();
  const [toasts, setToasts] = createSignal<Toast[]>([]);
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const dismiss = (id: string): void => {
    setToasts((list) => list.filter((t) => t.id !== id));
  };
  const show = (alert: SlaAlertEvent, who: string): void => {
    const toast: Toast = {
      id: `${alert.kind}:${alert.conversation_id}:${alert.metric}:${alert.due_at}`,
      conversationId: alert.conversation_id,
      kind: alert.kind,
      text: slaAlertText(alert, who, Date.now()),
    };
    setToasts((list) => [...list.filter((t) => t.id !== toast.id), toast].slice(-MAX_TOASTS));
    const timer = setTimeout(() => {
      timers.delete(timer);
      dismiss(toast.id);
    }, TOAST_MS);
    timers.add(timer);
  };
  const customerOf = (c: Conversation | undefined): string | undefined => c?.customer?.name ?? c?.customer?.email ?? undefined;
  onCleanup(
    realtime.subscribe((e) => {
      if (e.event !== EVENTS.slaAlert) return;
      const alert = e.payload;
      if (!slaAlertIsFor(alert, session.session?.user_id ?? 0)) return;
      const known = customerOf(conversations.byId[alert.conversation_id]);
      if (known) return show(alert, known);
      // A conversation no list has loaded yet: name its customer all the same.
      api.getConversation(alert.conversation_id).then(
        (c) => show(alert, customerOf(c) ?? 'a customer'),
        () => show(alert, 'a customer'),
      );
    }),
  );
  onCleanup(() => timers.forEach((t) => clearTimeout(t)));
  return (
    <div class="sla-toasts" role="status" aria-live="polite" data-testid="sla-toasts">
      <For each={toasts()}>
        {(t) => (
          <div class={`sla-toast sla-toast-${t.kind}`} data-testid="sla-toast" data-kind={t.kind}>
            <p>
              <strong>{t.kind === 'breach' ? 'SLA missed' : 'SLA due soon'}:</strong> {t.text}
            </p>
            <div class="mention-toast-actions">
              <A href={`/conversations/${t.conversationId}`} class="btn small primary" onClick={() => dismiss(t.id)}>
                Open
              </A>
              <button type="button" class="btn small ghost" aria-label="Dismiss the SLA alert" onClick={() => dismiss(t.id)}>
                Dismiss
              </button>
            </div>
          </div>
        )}
      </For>
    </div>
  );
}
