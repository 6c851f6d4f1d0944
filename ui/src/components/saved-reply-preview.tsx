/**
 * Saved replies with variables in the composer: `useReplyContext()` gathers
 * what `{{customer.name}}`, `{{customer.email}}`, `{{agent.name}}` and
 * `{{account.company_name}}` stand for in the open conversation, and
 * `<SavedReplyPreview>` shows the reply picked in the `/` menu as it will be
 * inserted: filled values highlighted, fallbacks for missing values marked,
 * unknown variables flagged (they are inserted as written). Settings → Saved
 * replies shows the same preview with sample values while writing one.
 */
import { For, Match, Show, Switch, createResource, type JSX } from 'solid-js';
import { agentName } from '../lib/lists';
import { fillReply, type ReplyContext } from '../lib/saved-replies';
import { useAgents } from '../stores/agents';
import { useConversations } from '../stores/conversations';
import { useSession } from '../stores/session';

/** What the variables stand for in one conversation (the account is read once, when first needed). */
export function useReplyContext(conversationId: () => string): () => ReplyContext {
  const [session, { api }] = useSession();
  const [conversations] = useConversations();
  const [, agents] = useAgents();
  const [account] = createResource(
    () => session.session?.account_id,
    () => api.getAccount().catch(() => null),
  );
  return () => {
    const customer = conversations.byId[conversationId()]?.customer;
    const me = agents.userById(session.session?.user_id);
    return {
      customer: customer ? { name: customer.name, email: customer.email } : null,
      agent: { name: me ? agentName(me) : null },
      account: { company_name: account()?.company_name ?? null },
    };
  };
}

export function SavedReplyPreview(props: { content: string | undefined; context: ReplyContext; label?: string }): JSX.Element {
  const filled = () => (props.content !== undefined ? fillReply(props.content, props.context) : null);
  return (
    <Show when={filled()}>
      {(f) => (
        <div class="reply-preview" data-testid="saved-reply-preview" aria-live="polite">
          <p class="small muted">{props.label ?? 'Preview (Enter or Tab inserts it):'}</p>
          <p class="reply-preview-text">
            <For each={f().parts}>
              {(part) => (
                <Switch>
                  <Match when={part.kind === 'text'}>{part.text}</Match>
                  <Match when={part.kind === 'variable' && part}>
                    {(v) => (
                      <mark
                        class="reply-var"
                        classList={{ 'reply-fallback': v().fallback }}
                        title={v().fallback ? `{{${v().name}}} is missing here: a fallback is used` : `{{${v().name}}}`}
                      >
                        {v().text}
                      </mark>
                    )}
                  </Match>
                  <Match when={part.kind === 'unknown' && part}>
                    {(u) => (
                      <mark class="reply-unknown" title="Unknown variable: inserted as written">
                        {u().text}
                      </mark>
                    )}
                  </Match>
                </Switch>
              )}
            </For>
          </p>
          <Show when={f().unknown.length > 0}>
            <p class="form-error small" data-testid="saved-reply-unknown">
              Unknown variable{f().unknown.length > 1 ? 's' : ''}{' '}
              {f()
                .unknown.map((n) => `{{${n}}}`)
                .join(', ')}
              : left as written, edit before sending.
            </p>
          </Show>
          <Show when={f().missing.length > 0}>
            <p class="small muted" data-testid="saved-reply-missing">
              Not known for this conversation:{' '}
              {f()
                .missing.map((n) => `{{${n}}}`)
                .join(', ')}{' '}
              (a fallback is used).
            </p>
          </Show>
        </div>
      )}
    </Show>
  );
}
