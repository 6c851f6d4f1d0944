/**
 * The agents' AI copilot in the conversation view (issue #21, item 5), shown only when the
 * server has a model and the account has not turned it off (`GET /api/accounts/me/copilot`):
 * - `<CopilotSummary>` at the top of the conversation: the stored summary with when, by whom
 *   and up to which message it was made, "Refresh" once newer messages exist, "Summarize" when
 *   there is none. Opening a conversation that was handed over (the bot stopped, or it was
 *   assigned or reassigned since the last summary) makes one for the next agent.
 * - `<CopilotActions>` above the reply box: "Suggest a reply" puts a draft in the box (saved
 *   reply placeholders filled in as the `/` picker does) and "Improve" rewrites the box's text
 *   (friendlier, more formal, shorter, spelling and grammar, the customer's language). Both
 *   replace the text with an Undo; nothing is ever sent but by the agent's own Send.
 * Loading, error (the server's message, e.g. "Try again in 12 s" over the limit) and empty
 * states; plain buttons and a menu that ↑/↓ move through and Escape closes.
 * The model's text is shown as text, never as HTML or markdown.
 */
import { For, Match, Show, Switch, createEffect, createResource, createSignal, createUniqueId, on, type JSX } from 'solid-js';
import { describeError } from '../lib/api';
import {
  copilotApi,
  IMPROVE_MODES,
  latestSeq,
  type ConversationSummaryState,
  type CopilotSettings,
  type ImproveMode,
} from '../lib/api-copilot';
import { agentName } from '../lib/lists';
import { fillReply } from '../lib/saved-replies';
import { formatFullTime } from '../lib/time';
import { useAgents } from '../stores/agents';
import { useConversations } from '../stores/conversations';
import { useSession } from '../stores/session';
import type { Conversation } from '../types';
import { useReplyContext } from './saved-reply-preview';

/** One settings request per account and page load, shared by every copilot part; a failure is asked again next time. */
const settingsCache = new Map<string, Promise<CopilotSettings | null>>();

function useCopilot() {
  const [session, { api }] = useSession();
  const client = copilotApi(api);
  const [settings] = createResource(
    () => session.session?.account_id,
    (accountId) => {
      let pending = settingsCache.get(accountId);
      if (!pending) {
        // A server without the route, or any failure: no copilot rather than a broken strip.
        pending = client.settings().catch(() => {
          settingsCache.delete(accountId);
          return null;
        });
        settingsCache.set(accountId, pending);
      }
      return pending;
    },
  );
  return { client, isAvailable: (): boolean => settings()?.available === true };
}

const PANEL_STYLE = {
  margin: '8px 14px 0',
  padding: '8px 12px',
  border: '1px solid var(--line)',
  'border-radius': 'var(--radius)',
  background: 'var(--panel)',
  'max-height': '30vh',
  overflow: 'auto',
} as const;

export function CopilotSummary(props: { conversation: Conversation }): JSX.Element {
  const { client, isAvailable } = useCopilot();
  const [conversations] = useConversations();
  const [, agents] = useAgents();
  const [session] = useSession();
  const [state, setState] = createSignal<ConversationSummaryState | null>(null);
  const [busy, setBusy] = createSignal<'loading' | 'summarizing' | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [isOpen, setOpen] = createSignal(true);
  const bodyId = createUniqueId();
  /** Answers for a conversation (or an assignee) no longer shown are dropped. */
  let generation = 0;

  const summary = () => state()?.summary ?? null;
  const newest = (): number => {
    const items = conversations.transcripts[props.conversation.id]?.items ?? [];
    return latestSeq(state()?.latest_seq, props.conversation.last_seq, ...items.map((m) => m.seq));
  };
  const hasNewer = (): boolean => {
    const s = summary();
    return s !== null && newest() > s.up_to_seq;
  };
  const author = (id: number | null): string => {
    if (id === null) return 'a former agent';
    if (id === session.session?.user_id) return 'you';
    return agentName(agents.userById(id));
  };

  const summarize = async (trigger: 'manual' | 'handoff'): Promise<void> => {
    const mine = generation;
    setBusy('summarizing');
    setError(null);
    try {
      const next = await client.summarize(props.conversation.id, trigger);
      if (mine === generation) setState(next);
    } catch (err) {
      if (mine === generation) setError(`${trigger === 'handoff' ? 'No summary was made' : 'Summarizing failed'}: ${describeError(err)}`);
    } finally {
      if (mine === generation) setBusy(null);
    }
  };

  const load = async (): Promise<void> => {
    const mine = ++generation;
    setBusy('loading');
    setError(null);
    try {
      const next = await client.summary(props.conversation.id);
      if (mine !== generation) return;
      setState(next);
      setBusy(null);
      // Handed over since the last summary: make one for whoever is reading now.
      if (next.should_generate) await summarize('handoff');
    } catch (err) {
      if (mine !== generation) return;
      setError(`The summary could not be loaded: ${describeError(err)}`);
      setBusy(null);
    }
  };

  // Another conversation, a new assignee (a summary may be due for them) or the copilot turned on.
  createEffect(
    on(
      () => [props.conversation.id, props.conversation.assignee_id, isAvailable()] as const,
      ([id, , available], prev) => {
        if (!prev || prev[0] !== id) setState(null);
        if (available) void load();
        else generation++;
      },
    ),
  );

  return (
    <Show when={isAvailable()}>
      <section style={PANEL_STYLE} aria-label="AI summary" aria-busy={busy() !== null} data-testid="copilot-summary">
        <div style={{ display: 'flex', 'align-items': 'center', gap: '8px', 'flex-wrap': 'wrap' }}>
          <button type="button" class="link-btn" aria-expanded={isOpen()} aria-controls={bodyId} onClick={() => setOpen(!isOpen())}>
            <strong>{isOpen() ? '▾' : '▸'} AI summary</strong>
          </button>
          <Show when={summary()}>
            {(s) => (
              <span class="small muted" data-testid="copilot-summary-meta" title={formatFullTime(s().created_at)}>
                {s().trigger === 'handoff' ? 'Made at handoff' : 'Made'} {formatFullTime(s().created_at)} by {author(s().created_by)} · up
                to message #{s().up_to_seq}
              </span>
            )}
          </Show>
          <span style={{ flex: '1' }} />
          <Show when={hasNewer()}>
            <span class="small muted">Newer messages since.</span>
            <button type="button" class="btn small" disabled={busy() !== null} onClick={() => void summarize('manual')}>
              Refresh
            </button>
          </Show>
          <Show when={!summary() && busy() !== 'loading'}>
            <button type="button" class="btn small" disabled={busy() !== null} onClick={() => void summarize('manual')}>
              Summarize
            </button>
          </Show>
        </div>
        <Show when={isOpen()}>
          <div id={bodyId}>
            <Switch>
              <Match when={busy() === 'summarizing'}>
                <p class="small muted" role="status">
                  <span class="spinner" aria-hidden="true" /> Summarizing the conversation…
                </p>
              </Match>
              <Match when={busy() === 'loading' && !summary()}>
                <p class="small muted" role="status">
                  <span class="spinner" aria-hidden="true" /> Loading the summary…
                </p>
              </Match>
            </Switch>
            <Show when={error()}>
              <p class="error-text small" role="alert" data-testid="copilot-summary-error">
                {error()}
              </p>
            </Show>
            <Show when={summary()}>
              {(s) => (
                <p style={{ 'white-space': 'pre-wrap', margin: '6px 0 2px' }} data-testid="copilot-summary-text">
                  {s().text}
                </p>
              )}
            </Show>
            <Show when={!summary() && busy() === null && !error()}>
              <p class="small muted">No summary yet: Summarize catches you up on the conversation.</p>
            </Show>
          </div>
        </Show>
      </section>
    </Show>
  );
}

export function CopilotActions(props: { conversationId: string; composer: () => HTMLTextAreaElement | undefined }): JSX.Element {
  const { client, isAvailable } = useCopilot();
  const replyContext = useReplyContext(() => props.conversationId);
  const [busy, setBusy] = createSignal<string | null>(null);
  const [done, setDone] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  /** The box's text before the copilot replaced it. */
  const [undo, setUndo] = createSignal<string | null>(null);
  let menu: HTMLDetailsElement | undefined;
  let menuButton: HTMLElement | undefined;
  let generation = 0;

  createEffect(
    on(
      () => props.conversationId,
      () => {
        generation++;
        setBusy(null);
        setDone(null);
        setError(null);
        setUndo(null);
      },
      { defer: true },
    ),
  );

  /** Put `text` in the reply box as if typed (the composer's own input handler keeps its state), caret at the end. */
  const write = (area: HTMLTextAreaElement, text: string): void => {
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
    area.focus();
    area.setSelectionRange(text.length, text.length);
  };

  const run = async (working: string, work: () => Promise<{ text: string; done: string }>): Promise<void> => {
    if (busy() !== null) return;
    const mine = generation;
    setBusy(working);
    setDone(null);
    setError(null);
    try {
      const out = await work();
      const area = props.composer();
      if (mine !== generation || !area) return;
      setUndo(area.value);
      write(area, out.text);
      setDone(out.done);
    } catch (err) {
      if (mine === generation) setError(describeError(err));
    } finally {
      if (mine === generation) setBusy(null);
    }
  };

  const suggest = (): void =>
    void run('Writing a suggested reply…', async () => {
      const s = await client.suggest(props.conversationId);
      return { text: fillReply(s.text, replyContext()).text, done: 'Suggested reply inserted. Review it, then send it yourself.' };
    });

  const improve = (mode: ImproveMode, label: string, doneText: string): void => {
    if (menu) menu.open = false;
    const text = props.composer()?.value.trim() ?? '';
    if (text === '') {
      setDone(null);
      setError('Write a reply first, then improve it.');
      props.composer()?.focus();
      return;
    }
    void run(`${label}…`, async () => {
      const r = await client.improve(text, mode, props.conversationId);
      return { text: r.text, done: r.language ? `Translated to ${r.language}.` : doneText };
    });
  };

  const restore = (): void => {
    const previous = undo();
    const area = props.composer();
    if (previous === null || !area) return;
    write(area, previous);
    setUndo(null);
    setError(null);
    setDone('Your text is back.');
  };

  const onMenuKey = (e: KeyboardEvent): void => {
    if (!menu?.open) return;
    const items = [...menu.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      menu.open = false;
      menuButton?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = e.key === 'ArrowDown' ? (at + 1) % items.length : (at - 1 + items.length) % items.length;
      items[at === -1 ? 0 : next]?.focus();
    }
  };

  return (
    <Show when={isAvailable()}>
      <div
        role="toolbar"
        aria-label="AI copilot"
        data-testid="copilot-bar"
        style={{ display: 'flex', 'align-items': 'center', gap: '6px', padding: '4px 14px 0', 'flex-wrap': 'wrap' }}
      >
        <button type="button" class="btn ghost small" disabled={busy() !== null} onClick={suggest}>
          Suggest a reply
        </button>
        <details
          class="menu"
          ref={menu}
          onKeyDown={onMenuKey}
          onToggle={() => {
            if (menu?.open) queueMicrotask(() => menu?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus());
          }}
        >
          <summary class="btn ghost small" ref={menuButton} aria-haspopup="menu">
            Improve ▾
          </summary>
          <div
            class="menu-list"
            role="menu"
            aria-label="Improve my reply"
            style={{ top: 'auto', bottom: 'calc(100% + 4px)', left: '0', right: 'auto' }}
          >
            <For each={IMPROVE_MODES}>
              {(m) => (
                <button type="button" role="menuitem" disabled={busy() !== null} onClick={() => improve(m.mode, m.label, m.done)}>
                  {m.label}
                </button>
              )}
            </For>
          </div>
        </details>
        <Show when={undo() !== null && busy() === null}>
          <button type="button" class="btn ghost small" data-testid="copilot-undo" onClick={restore}>
            ↶ Undo
          </button>
        </Show>
        <span class="small muted" role="status" aria-live="polite" data-testid="copilot-status">
          <Show when={busy()} fallback={done() ?? ''}>
            {(working) => (
              <>
                <span class="spinner" aria-hidden="true" /> {working()}
              </>
            )}
          </Show>
        </span>
        <Show when={error()}>
          <span class="error-text small" role="alert" data-testid="copilot-error">
            {error()}
          </span>
        </Show>
      </div>
    </Show>
  );
}
