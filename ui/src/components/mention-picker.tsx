/**
 * @mentions in the composer (issue #17): while a private note is written,
 * typing `@` opens a list of teammates filtered by name or email as one types
 * (a listbox driven from the textarea: ↑/↓ move, Enter or Tab choose, Escape
 * closes; `aria-activedescendant` names the highlighted option), the chosen
 * `@Name` goes into the text and shows as a chip, and `ids(body)` gives the
 * `mentioned_user_ids` the note is sent with. Also `MentionChips`, the
 * highlighted "mentioned" row under a stored note. The logic is in
 * lib/mentions.ts; the composer attaches this to its textarea.
 */
import { For, Match, Show, Switch, createEffect, createMemo, createSignal, createUniqueId, type JSX } from 'solid-js';
import {
  applyMention,
  mentionedIdsIn,
  mentionLabel,
  mentionQueryAt,
  suggestTeammates,
  type ChosenMention,
  type MentionQuery,
} from '../lib/mentions';
import { useAgents } from '../stores/agents';
import { useSession } from '../stores/session';
import type { User } from '../types';

export interface MentionPicker {
  /** Wire the picker to the composer's textarea (its ref callback). */
  attach(el: HTMLTextAreaElement): void;
  /** The mentioned user ids of a body about to be sent (chosen mentions still in it). */
  ids(body: string): number[];
  /** Forget the chosen mentions (after a send). */
  clear(): void;
  /** The suggestion list (shown while an `@query` is typed in a note). */
  Popup: () => JSX.Element;
  /** The chosen mentions still in the text, as removable chips. */
  Chips: () => JSX.Element;
}

export function createMentionPicker(opts: { text: () => string; setText: (value: string) => void; enabled: () => boolean }): MentionPicker {
  const [session] = useSession();
  const [agents] = useAgents();
  const listId = `mention-list-${createUniqueId()}`;
  const [caret, setCaret] = createSignal(0);
  const [dismissedAt, setDismissedAt] = createSignal<number | null>(null);
  const [active, setActive] = createSignal(0);
  const [chosen, setChosen] = createSignal<ChosenMention[]>([]);
  let area: HTMLTextAreaElement | undefined;

  const meId = (): number => session.session?.user_id ?? 0;
  const query = createMemo((): MentionQuery | null => {
    if (!opts.enabled()) return null;
    const q = mentionQueryAt(opts.text(), caret());
    return q && q.start !== dismissedAt() ? q : null;
  });
  const suggestions = createMemo((): User[] => {
    const q = query();
    return q ? suggestTeammates(agents.users, q.query, meId()) : [];
  });
  const optionId = (i: number): string => `${listId}-${i}`;
  const present = createMemo(() => chosen().filter((c) => opts.text().includes(`@${c.label}`)));

  createEffect(() => {
    const q = query();
    if (q) setActive((i) => Math.min(i, Math.max(0, suggestions().length - 1)));
  });
  // The textarea is the combobox: it says whether the list is open and which option is highlighted.
  createEffect(() => {
    if (!area) return;
    const open = query() !== null;
    area.setAttribute('aria-autocomplete', 'list');
    area.setAttribute('aria-expanded', String(open));
    if (open) area.setAttribute('aria-controls', listId);
    else area.removeAttribute('aria-controls');
    if (open && suggestions().length > 0) area.setAttribute('aria-activedescendant', optionId(active()));
    else area.removeAttribute('aria-activedescendant');
  });

  const choose = (user: User): void => {
    const q = query();
    if (!q || !area) return;
    const label = mentionLabel(user);
    const next = applyMention(opts.text(), q, label);
    opts.setText(next.text);
    area.value = next.text;
    area.focus();
    area.setSelectionRange(next.caret, next.caret);
    setCaret(next.caret);
    setActive(0);
    setChosen((list) => (list.some((c) => c.id === user.id) ? list : [...list, { id: user.id, label }]));
  };

  const remove = (c: ChosenMention): void => {
    const next = opts.text().split(`@${c.label} `).join('').split(`@${c.label}`).join('');
    opts.setText(next);
    if (area) area.value = next;
    setChosen((list) => list.filter((x) => x.id !== c.id));
    area?.focus();
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    const q = query();
    if (!q) return;
    const list = suggestions();
    let handled = true;
    if (e.key === 'ArrowDown' && list.length) setActive((i) => (i + 1) % list.length);
    else if (e.key === 'ArrowUp' && list.length) setActive((i) => (i - 1 + list.length) % list.length);
    else if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && list[active()]) choose(list[active()]!);
    else if (e.key === 'Escape') setDismissedAt(q.start);
    else handled = false;
    if (handled) {
      // Before the composer's own (delegated) handler: Enter chooses, it does not send.
      e.preventDefault();
      e.stopPropagation();
    }
  };

  return {
    attach(el) {
      area = el;
      const sync = (): void => {
        setCaret(el.selectionStart ?? el.value.length);
      };
      el.addEventListener('input', () => {
        sync();
        const q = mentionQueryAt(el.value, el.selectionStart ?? el.value.length);
        if (!q || q.start !== dismissedAt()) setDismissedAt(null);
        setActive(0);
      });
      el.addEventListener('keyup', (e) => {
        if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') sync();
      });
      el.addEventListener('click', sync);
      el.addEventListener('keydown', onKeyDown);
    },
    ids: (body) => mentionedIdsIn(body, chosen()),
    clear: () => setChosen([]),
    Popup: () => (
      <Show when={query()}>
        <div class="canned mention-list" data-testid="mention-suggestions">
          <Switch>
            <Match when={agents.usersStatus === 'loading'}>
              <p class="muted small">Loading teammates…</p>
            </Match>
            <Match when={agents.usersStatus === 'error'}>
              <p class="muted small">The team list could not be loaded.</p>
            </Match>
            <Match when={suggestions().length === 0}>
              <p class="muted small">No teammate matches “{query()?.query}”.</p>
            </Match>
          </Switch>
          <ul id={listId} role="listbox" aria-label="Mention a teammate" class="mention-options">
            <For each={suggestions()}>
              {(user, i) => (
                <li
                  id={optionId(i())}
                  role="option"
                  aria-selected={i() === active()}
                  class="canned-item"
                  classList={{ picked: i() === active() }}
                  data-user-id={user.id}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    choose(user);
                  }}
                >
                  <strong>@{mentionLabel(user)}</strong> <span class="muted">{user.email}</span>
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>
    ),
    Chips: () => (
      <Show when={opts.enabled() && present().length > 0}>
        <div class="mention-chips" data-testid="mention-chips" aria-label="Mentioned in this note">
          <For each={present()}>
            {(c) => (
              <span class="mention-chip">
                @{c.label}
                <button type="button" class="link-btn" aria-label={`Remove the mention of ${c.label}`} onClick={() => remove(c)}>
                  ×
                </button>
              </span>
            )}
          </For>
        </div>
      </Show>
    ),
  };
}

/** Under a stored note: who it mentions, the signed-in agent highlighted. */
export function MentionChips(props: { ids: readonly number[] | undefined }): JSX.Element {
  const [session] = useSession();
  const [, agents] = useAgents();
  const name = (id: number): string => {
    const u = agents.userById(id);
    return u ? mentionLabel(u) : `agent ${id}`;
  };
  return (
    <Show when={(props.ids ?? []).length > 0}>
      <div class="mention-chips" data-testid="note-mentions">
        <span class="small muted">Mentioned</span>
        <For each={props.ids}>
          {(id) => (
            <span class="mention-chip" classList={{ me: id === session.session?.user_id }}>
              @{name(id)}
              <Show when={id === session.session?.user_id}>
                <span class="visually-hidden"> (you)</span>
              </Show>
            </span>
          )}
        </For>
      </div>
    </Show>
  );
}
