/**
 * Settings → Tags: the account's tags with their colour; create, rename,
 * recolour, delete (after a confirmation that says it removes the tag from
 * every conversation and customer). Every agent may manage tags (the API's tag
 * routes are not admin-only). Keeps the console's tags store in step so the
 * sidebar and the tag picker see changes at once.
 */
import { For, Show, createSignal, type JSX } from 'solid-js';
import { EditDelete, Status, useSaver } from '../../components/settings-kit';
import { TagChip } from '../../components/tag-picker';
import { TAG_COLOR_NAMES, TAG_COLORS, safeColor, type Tag } from '../../lib/api-tags';
import { useTags } from '../../stores/tags';

function ColorChoice(props: { name: string; value: string; onChange: (c: string) => void; legend: string }): JSX.Element {
  return (
    <fieldset class="tag-colors">
      <legend class="small">{props.legend}</legend>
      <For each={TAG_COLORS}>
        {(c) => (
          <label class="swatch" style={{ background: c }} title={TAG_COLOR_NAMES[c]}>
            <input
              type="radio"
              name={props.name}
              value={c}
              checked={props.value === c}
              onChange={() => props.onChange(c)}
              aria-label={TAG_COLOR_NAMES[c]}
            />
          </label>
        )}
      </For>
    </fieldset>
  );
}

function TagRow(props: { tag: Tag }): JSX.Element {
  const [, actions] = useTags();
  const [editing, setEditing] = createSignal(false);
  const confirming = createSignal(false);
  const [name, setName] = createSignal(props.tag.name);
  const [color, setColor] = createSignal(safeColor(props.tag.color) ?? TAG_COLORS[7]);
  const [message, failed, save] = useSaver();
  const id = `tag-${props.tag.id}`;
  // Keyboard: the form opens with the focus in its name; closed, the focus goes back to the row's "Edit"
  // (found by id: a saved tag is a new row).
  const close = (): void => {
    setEditing(false);
    queueMicrotask(() => document.querySelector<HTMLButtonElement>(`li[data-tag-id="${props.tag.id}"] button`)?.focus());
  };
  return (
    <li data-tag-row={props.tag.name} data-tag-id={props.tag.id}>
      <Show
        when={editing()}
        fallback={
          <>
            <TagChip tag={props.tag} />
            <span class="spacer" />
            <EditDelete
              name={`tag ${props.tag.name}`}
              onEdit={() => {
                setName(props.tag.name);
                setEditing(true);
              }}
              question={<>Delete “{props.tag.name}”? It is removed from every conversation and customer.</>}
              onDelete={() =>
                void save(async () => {
                  await actions.api.remove(props.tag.id);
                  actions.drop(props.tag.id);
                })
              }
              confirming={confirming}
            />
          </>
        }
      >
        <form
          class="tag-edit"
          onSubmit={(e) => {
            e.preventDefault();
            void save(async () => {
              actions.put(await actions.api.update(props.tag.id, { name: name().trim(), color: color() }));
              close();
            }, 'Tag saved.');
          }}
        >
          <label for={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            required
            maxLength={255}
            ref={(el) => queueMicrotask(() => el.focus())}
          />
          <ColorChoice name={`${id}-color`} value={color()} onChange={setColor} legend={`Colour of ${props.tag.name}`} />
          <button class="btn small primary" type="submit">
            Save
          </button>
          <button class="btn ghost small" type="button" onClick={close}>
            Cancel
          </button>
        </form>
      </Show>
      <Status message={message()} error={failed()} />
    </li>
  );
}

export function TagsSection(): JSX.Element {
  const [tags, actions] = useTags();
  const [name, setName] = createSignal('');
  const [color, setColor] = createSignal<string>(TAG_COLORS[0]);
  const [message, failed, save] = useSaver();
  return (
    <section class="settings-section" aria-labelledby="tags-title">
      <h1 id="tags-title">Tags</h1>
      <p class="small muted">
        Tag conversations from their header; filter the inbox by tag from the sidebar. Every agent of the account can manage tags.
      </p>
      <Show when={tags.status === 'loading'}>
        <div class="state" role="status" aria-busy="true">
          <span class="spinner" aria-hidden="true" /> Loading…
        </div>
      </Show>
      <Show when={tags.status === 'unavailable'}>
        <div class="state unavailable" role="status" data-testid="not-available">
          Tags are not available on this server yet.
        </div>
      </Show>
      <Show when={tags.status === 'error'}>
        <div class="state error" role="alert" data-testid="tags-error">
          Could not load tags: {tags.error}{' '}
          <button class="btn small" type="button" onClick={() => void actions.reload()}>
            Try again
          </button>
        </div>
      </Show>
      <Show when={tags.status === 'ready'}>
        <ul class="rows" data-testid="tag-rows">
          <For each={tags.tags} fallback={<li class="muted small">No tags yet.</li>}>
            {(tag) => <TagRow tag={tag} />}
          </For>
        </ul>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save(async () => {
              actions.put(await actions.api.create(name().trim(), color()));
              setName('');
            }, 'Tag created.');
          }}
        >
          <div class="field">
            <label for="new-tag-name">New tag</label>
            <input id="new-tag-name" value={name()} onInput={(e) => setName(e.currentTarget.value)} required maxLength={255} />
          </div>
          <ColorChoice name="new-tag-color" value={color()} onChange={setColor} legend="Colour of the new tag" />
          <button class="btn small primary" type="submit">
            Create tag
          </button>
          <Status message={message()} error={failed()} />
        </form>
      </Show>
    </section>
  );
}
