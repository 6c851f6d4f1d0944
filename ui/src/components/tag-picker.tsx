/**
 * Tags of a conversation: `<TagChip>` (a tag in its colour, also used by the
 * conversation list) and `<TagPicker>` in the conversation header: the
 * conversation's tags with a remove button each, and an "Add tag" popover to
 * search the account's tags or create one on the fly with a colour. Keyboard:
 * the popover's search box moves through the options with ↑/↓, Enter picks,
 * Escape closes and returns to the button; colours are a radio group.
 */
import { For, Show, createMemo, createSignal, createUniqueId, type JSX } from 'solid-js';
import { describeError } from '../lib/api';
import { TAG_COLOR_NAMES, TAG_COLORS, matchTags, safeColor, sortTags, textOn, type Tag } from '../lib/api-tags';
import { useConversations } from '../stores/conversations';
import { useTags } from '../stores/tags';

export function TagChip(props: { tag: Pick<Tag, 'name' | 'color'>; onRemove?: () => void; disabled?: boolean }): JSX.Element {
  const color = (): string | null => safeColor(props.tag.color);
  return (
    <span class="tag tag-chip" style={color() ? { background: color()!, color: textOn(color()!) } : undefined} data-tag={props.tag.name}>
      {props.tag.name}
      <Show when={props.onRemove}>
        <button
          type="button"
          class="tag-remove"
          aria-label={`Remove tag ${props.tag.name}`}
          disabled={props.disabled}
          onClick={() => props.onRemove?.()}
        >
          ×
        </button>
      </Show>
    </span>
  );
}

type Option = { kind: 'tag'; tag: Tag } | { kind: 'create'; name: string };

export function TagPicker(props: { conversationId: string; tags: readonly Tag[] | undefined }): JSX.Element {
  const [tagsState, tagActions] = useTags();
  const [, conversations] = useConversations();
  const [open, setOpen] = createSignal(false);
  const [query, setQuery] = createSignal('');
  const [active, setActive] = createSignal(0);
  const [color, setColor] = createSignal<string>(TAG_COLORS[0]);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const uid = createUniqueId();
  let button: HTMLButtonElement | undefined;
  let input: HTMLInputElement | undefined;

  const applied = (): readonly Tag[] => props.tags ?? [];
  const options = createMemo((): Option[] => {
    const have = new Set(applied().map((t) => t.id));
    const found: Option[] = matchTags(
      tagsState.tags.filter((t) => !have.has(t.id)),
      query(),
    ).map((tag) => ({ kind: 'tag', tag }));
    const name = query().trim();
    const exists = tagsState.tags.some((t) => t.name.toLowerCase() === name.toLowerCase());
    return name && !exists ? [...found, { kind: 'create', name }] : found;
  });
  const creating = (): boolean => options().some((o) => o.kind === 'create');

  const show = (): void => {
    setQuery('');
    setActive(0);
    setError(null);
    setColor(TAG_COLORS[tagsState.tags.length % TAG_COLORS.length]!);
    setOpen(true);
    queueMicrotask(() => input?.focus());
  };
  const hide = (refocus: boolean): void => {
    setOpen(false);
    if (refocus) button?.focus();
  };

  const run = async (fn: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (err) {
      setError(describeError(err));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (tag: Tag): Promise<void> => {
    await tagActions.api.tagConversation(props.conversationId, tag.id);
    conversations.setTags(props.conversationId, sortTags([...applied().filter((t) => t.id !== tag.id), tag]));
  };

  const choose = async (option: Option | undefined): Promise<void> => {
    if (!option || busy()) return;
    const ok = await run(async () => {
      if (option.kind === 'tag') return add(option.tag);
      const tag = await tagActions.api.create(option.name, color());
      tagActions.put(tag);
      await add(tag);
    });
    if (ok) hide(true);
  };

  const remove = (tag: Tag): void => {
    void run(async () => {
      await tagActions.api.untagConversation(props.conversationId, tag.id);
      conversations.setTags(
        props.conversationId,
        applied().filter((t) => t.id !== tag.id),
      );
    }).then((ok) => ok && button?.focus());
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    const n = options().length;
    if (e.key === 'ArrowDown' && n) {
      e.preventDefault();
      setActive((i) => (i + 1) % n);
    } else if (e.key === 'ArrowUp' && n) {
      e.preventDefault();
      setActive((i) => (i - 1 + n) % n);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      void choose(options()[Math.min(active(), n - 1)]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      hide(true);
    }
  };

  return (
    <div class="tag-picker" data-testid="tag-picker">
      <ul class="tag-list" aria-label="Tags of this conversation">
        <For each={applied()}>
          {(tag) => (
            <li>
              <TagChip tag={tag} onRemove={() => remove(tag)} disabled={busy()} />
            </li>
          )}
        </For>
      </ul>
      <button
        ref={button}
        type="button"
        class="btn ghost small"
        aria-expanded={open()}
        aria-controls={`${uid}-pop`}
        onClick={() => (open() ? hide(false) : show())}
      >
        + Tag
      </button>
      <Show when={!open() && error()}>
        <span class="form-error small" role="alert">
          {error()}
        </span>
      </Show>
      <Show when={open()}>
        <div
          id={`${uid}-pop`}
          class="tag-pop"
          role="dialog"
          aria-label="Add a tag"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              hide(true);
            }
          }}
          onFocusOut={(e) => {
            const next = e.relatedTarget as Node | null;
            if (next && !e.currentTarget.contains(next) && next !== button) hide(false);
          }}
        >
          <label for={`${uid}-q`}>Search or create a tag</label>
          <input
            ref={input}
            id={`${uid}-q`}
            role="combobox"
            aria-expanded="true"
            aria-autocomplete="list"
            aria-controls={`${uid}-options`}
            aria-activedescendant={options().length ? `${uid}-opt-${Math.min(active(), options().length - 1)}` : undefined}
            autocomplete="off"
            maxLength={255}
            value={query()}
            onInput={(e) => {
              setQuery(e.currentTarget.value);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
          />
          <ul id={`${uid}-options`} class="tag-options" role="listbox" aria-label="Tags">
            <For
              each={options()}
              fallback={
                <li class="muted small" role="presentation">
                  <Show when={tagsState.status === 'ready'} fallback={tagsState.status === 'loading' ? 'Loading tags…' : tagsState.error}>
                    {tagsState.tags.length ? 'Every tag is already on this conversation.' : 'No tags yet: type a name to create one.'}
                  </Show>
                </li>
              }
            >
              {(option, i) => (
                <li
                  id={`${uid}-opt-${i()}`}
                  role="option"
                  aria-selected={i() === active()}
                  classList={{ picked: i() === active() }}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    void choose(option);
                  }}
                >
                  <Show when={option.kind === 'tag' && option} fallback={<span>Create “{(option as { name: string }).name}”</span>}>
                    {(o) => <TagChip tag={o().tag} />}
                  </Show>
                </li>
              )}
            </For>
          </ul>
          <Show when={creating()}>
            <fieldset class="tag-colors">
              <legend class="small">Colour of the new tag</legend>
              <For each={TAG_COLORS}>
                {(c) => (
                  <label class="swatch" style={{ background: c }} title={TAG_COLOR_NAMES[c]}>
                    <input
                      type="radio"
                      name={`${uid}-color`}
                      value={c}
                      checked={color() === c}
                      onChange={() => setColor(c)}
                      aria-label={TAG_COLOR_NAMES[c]}
                    />
                  </label>
                )}
              </For>
            </fieldset>
          </Show>
          <p class="form-error small" role="alert">
            {error() ?? ''}
          </p>
        </div>
      </Show>
    </div>
  );
}
