/**
 * Settings → Saved replies: the account's saved replies; create, edit (name and
 * text), delete after a confirmation. The text may use `{{customer.name}}`,
 * `{{customer.email}}`, `{{agent.name}}` and `{{account.company_name}}`
 * (lib/saved-replies.ts); while writing, a preview fills them with sample
 * values and flags unknown ones. Every agent may manage saved replies (the
 * API's routes are not admin-only). The composer's `/` menu reloads after a change.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { SavedReplyPreview } from '../../components/saved-reply-preview';
import { EditDelete, Section, Status, load, useSaver } from '../../components/settings-kit';
import { REPLY_VARIABLES, hasVariables, type ReplyContext } from '../../lib/saved-replies';
import { savedRepliesApi } from '../../lib/api-saved-replies';
import { useAgents } from '../../stores/agents';
import { useSession } from '../../stores/session';
import type { CannedResponse } from '../../types';

/** What the preview fills the variables with while writing. */
const SAMPLE: ReplyContext = {
  customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
  agent: { name: 'you' },
  account: { company_name: 'your company' },
};

function ReplyFields(props: {
  id: string;
  name: string;
  content: string;
  onName: (v: string) => void;
  onContent: (v: string) => void;
}): JSX.Element {
  let area: HTMLTextAreaElement | undefined;
  const insertVariable = (name: string): void => {
    const text = `{{${name}}}`;
    const at = area?.selectionStart ?? props.content.length;
    const end = area?.selectionEnd ?? at;
    props.onContent(props.content.slice(0, at) + text + props.content.slice(end));
    queueMicrotask(() => {
      area?.focus();
      area?.setSelectionRange(at + text.length, at + text.length);
    });
  };
  return (
    <>
      <div class="field">
        <label for={`${props.id}-name`}>Shortcut name</label>
        <input id={`${props.id}-name`} value={props.name} onInput={(e) => props.onName(e.currentTarget.value)} required />
      </div>
      <div class="field">
        <label for={`${props.id}-content`}>Text</label>
        <textarea
          id={`${props.id}-content`}
          ref={area}
          rows={3}
          value={props.content}
          onInput={(e) => props.onContent(e.currentTarget.value)}
          required
        />
      </div>
      <div class="reply-variables" role="group" aria-label="Insert a variable">
        <For each={REPLY_VARIABLES}>
          {(v) => (
            <button type="button" class="btn ghost small" onClick={() => insertVariable(v)}>
              {`{{${v}}}`}
            </button>
          )}
        </For>
      </div>
      <Show when={hasVariables(props.content)}>
        <SavedReplyPreview content={props.content} context={SAMPLE} label="Preview with sample values:" />
      </Show>
    </>
  );
}

/**
 * One saved reply. Its save and delete report through the section's status line (`props.save`): a change refetches the
 * list, which renders every row afresh, so a status kept in the row would vanish with it before anyone read it.
 */
function ReplyRow(props: {
  reply: CannedResponse;
  onChanged: () => void;
  save: (fn: () => Promise<unknown>, ok?: string) => Promise<boolean>;
}): JSX.Element {
  const [, { api }] = useSession();
  const replies = savedRepliesApi(api);
  const [editing, setEditing] = createSignal(false);
  const confirming = createSignal(false);
  const [name, setName] = createSignal(props.reply.name);
  const [content, setContent] = createSignal(props.reply.content);
  return (
    <li data-saved-reply={props.reply.name}>
      <Show
        when={editing()}
        fallback={
          <>
            <strong>/{props.reply.name}</strong> <span class="muted small">{props.reply.content}</span>
            <EditDelete
              name={`/${props.reply.name}`}
              onEdit={() => {
                setName(props.reply.name);
                setContent(props.reply.content);
                setEditing(true);
              }}
              question={<>Delete /{props.reply.name}?</>}
              onDelete={() =>
                void props.save(async () => {
                  await api.deleteCannedResponse(props.reply.id);
                  props.onChanged();
                }, 'Deleted.')
              }
              confirming={confirming}
            />
          </>
        }
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void props.save(async () => {
              await replies.update(props.reply.id, { name: name().trim(), content: content() });
              setEditing(false);
              props.onChanged();
            }, 'Saved reply updated.');
          }}
        >
          <ReplyFields id={`cr-${props.reply.id}`} name={name()} content={content()} onName={setName} onContent={setContent} />
          <button class="btn small primary" type="submit">
            Save
          </button>
          <button class="btn ghost small" type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      </Show>
    </li>
  );
}

export function SavedRepliesSection(): JSX.Element {
  const [, { api }] = useSession();
  const [, agents] = useAgents();
  const [data, { refetch }] = createResource(() => load(() => api.listCannedResponses()));
  const [name, setName] = createSignal('');
  const [content, setContent] = createSignal('');
  const [message, failed, save] = useSaver();
  const [rowMessage, rowFailed, rowSave] = useSaver();
  const reload = (): void => {
    void refetch();
    void agents.reload();
  };
  // <Section> renders its content once: the rows follow the refetched list from here.
  const current = (): CannedResponse[] => {
    const d = data();
    return d?.ok ? d.value : [];
  };
  return (
    <Section title="Saved replies" data={data} what="Saved replies" onRetry={() => void refetch()}>
      {() => (
        <>
          <p class="small muted">
            Type <kbd>/</kbd> in the reply box to insert one. Variables are filled in for the open conversation when inserted; a fallback
            for a missing value goes after a bar: <code>{'{{customer.name|friend}}'}</code>.
          </p>
          <ul class="rows" data-testid="saved-replies">
            <For each={current()} fallback={<li class="muted small">No saved replies yet.</li>}>
              {(c) => <ReplyRow reply={c} onChanged={reload} save={rowSave} />}
            </For>
          </ul>
          <Status message={rowMessage()} error={rowFailed()} testId="saved-reply-status" />
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void save(async () => {
                await api.createCannedResponse(name().trim(), content());
                setName('');
                setContent('');
                reload();
              }, 'Saved reply created.');
            }}
          >
            <ReplyFields id="cr" name={name()} content={content()} onName={setName} onContent={setContent} />
            <Status message={message()} error={failed()} />
            <button class="btn primary" type="submit">
              Add
            </button>
          </form>
        </>
      )}
    </Section>
  );
}
