/**
 * `/issues` (loaded on demand): the account's issues, newest first, filtered
 * by status and text, with a create form; `/issues/:id`: one issue — title and
 * body (editable), status (changed at once), the customers and conversations
 * it is linked to (link: find a customer by name or email; a conversation of a
 * linked customer; unlink), delete after a confirmation.
 */
import { A, useSearchParams } from '@solidjs/router';
import { For, Show, createResource, createSignal, lazy, type JSX } from 'solid-js';
import {
  ISSUE_STATES,
  ISSUE_STATE_LABELS,
  conversationHref,
  fieldError,
  peopleApi,
  type IssueState,
  type IssueWithLinks,
} from '../lib/api-people';
import { formatListTime } from '../lib/time';
import { useSession } from '../stores/session';
import {
  DeleteZone,
  FieldError,
  FormStatus,
  ListOrRecord,
  Loader,
  MoreButton,
  PickForm,
  RecordPage,
  SectionError,
  UnlinkButton,
  load,
  useAction,
  useFormOutcome,
  usePagedList,
  useRecordChanges,
} from './customers-kit';

const IssueGithub = lazy(() => import('../components/github-issues').then((m) => ({ default: m.IssueGithub })));

const isState = (v: string | undefined): v is IssueState => (ISSUE_STATES as readonly string[]).includes(v ?? '');

function NewIssueForm(props: { onCreated: () => void }): JSX.Element {
  const [, { api }] = useSession();
  const people = peopleApi(api);
  const [title, setTitle] = createSignal('');
  const [body, setBody] = createSignal('');
  const { errors, status, reset, saved, failed } = useFormOutcome();
  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    reset();
    try {
      const issue = await people.createIssue({ title: title().trim(), body: body().trim() || null });
      setTitle('');
      setBody('');
      saved(`Created “${issue.title}”.`);
      props.onCreated();
    } catch (err) {
      failed(err);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} novalidate>
      <div class="field">
        <label for="new-issue-title">Title (required)</label>
        <input
          id="new-issue-title"
          type="text"
          value={title()}
          aria-invalid={fieldError(errors(), 'title') ? 'true' : undefined}
          aria-describedby="new-issue-title-error"
          onInput={(e) => setTitle(e.currentTarget.value)}
        />
        <FieldError id="new-issue-title-error" message={fieldError(errors(), 'title')} />
      </div>
      <div class="field">
        <label for="new-issue-body">Description</label>
        <textarea id="new-issue-body" rows={3} value={body()} onInput={(e) => setBody(e.currentTarget.value)} />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn primary small">
          Create issue
        </button>
        <FormStatus status={status()} testId="new-issue-status" />
      </div>
    </form>
  );
}

function IssueList(): JSX.Element {
  const [, { api }] = useSession();
  const people = peopleApi(api);
  const [params, setParams] = useSearchParams<{ state?: string; q?: string }>();
  const state = (): IssueState | '' => (isState(params.state) ? params.state : '');
  const { list, refetch, more } = usePagedList(
    () => ({ state: state(), q: params.q ?? '' }),
    (f, after) => people.issuePage(f, after),
  );
  useRecordChanges('issue', null, refetch);
  return (
    <section class="people" aria-labelledby="issues-title">
      <header class="people-head">
        <h1 id="issues-title">Issues</h1>
      </header>
      <div class="people-columns">
        <div>
          <form class="people-filters" role="search" aria-label="Filter issues" onSubmit={(e) => e.preventDefault()}>
            <div class="field">
              <label for="issue-state-filter">Status</label>
              <select id="issue-state-filter" value={state()} onChange={(e) => setParams({ state: e.currentTarget.value || undefined })}>
                <option value="">Any status</option>
                <For each={ISSUE_STATES}>{(s) => <option value={s}>{ISSUE_STATE_LABELS[s]}</option>}</For>
              </select>
            </div>
            <div class="field">
              <label for="issue-search">Search</label>
              <input
                id="issue-search"
                type="search"
                value={params.q ?? ''}
                onChange={(e) => setParams({ q: e.currentTarget.value.trim() || undefined })}
              />
            </div>
          </form>
          <Loader
            data={list}
            loading="issues"
            what="issues"
            retry={refetch}
            empty={(items) => items.length === 0}
            whenEmpty={
              <p class="state" role="status" data-testid="issues-empty">
                {state() || params.q
                  ? 'No issue matches these filters.'
                  : 'No issues yet. Create one to track a problem several customers report.'}
              </p>
            }
          >
            {(items) => (
              <ul class="rows" data-testid="issues-list" aria-label="Issues">
                <For each={items()}>
                  {(i) => (
                    <li data-issue-id={i.id}>
                      <A href={`/issues/${encodeURIComponent(i.id)}`}>{i.title}</A>
                      <span class="tag" data-state={i.state}>
                        {ISSUE_STATE_LABELS[i.state]}
                      </span>
                      <span class="small muted">{formatListTime(i.created_at)}</span>
                    </li>
                  )}
                </For>
              </ul>
            )}
          </Loader>
          <MoreButton more={more} what="issues" />
        </div>
        <section aria-labelledby="new-issue-heading">
          <h2 id="new-issue-heading">New issue</h2>
          <NewIssueForm onCreated={refetch} />
        </section>
      </div>
    </section>
  );
}

function IssueLinks(props: { issue: IssueWithLinks; onChanged: () => void }): JSX.Element {
  const [, { api }] = useSession();
  const people = peopleApi(api);
  const [customers] = createResource(
    () => props.issue.customer_ids.join(','),
    () => Promise.all(props.issue.customer_ids.slice(0, 50).map((id) => people.getCustomer(id).catch(() => null))),
  );
  const [conversations] = createResource(
    () => props.issue.conversation_ids.join(','),
    () => Promise.all(props.issue.conversation_ids.slice(0, 50).map((id) => people.getConversation(id).catch(() => null))),
  );
  // Conversations that could be linked: those of the linked customers not linked yet.
  const candidates = (): { id: string; label: string }[] =>
    (customers() ?? []).flatMap((c) =>
      c
        ? (c.conversations ?? [])
            .filter((conv) => !props.issue.conversation_ids.includes(conv.id))
            .map((conv) => ({ id: conv.id, label: `${c.title}: ${conv.subject ?? conv.source} (${conv.status})` }))
        : [],
    );
  const [search, setSearch] = createSignal('');
  const [found, setFound] = createSignal<{ id: string; title: string; email: string | null }[] | null>(null);
  const [run, error, busy] = useAction(() => props.onChanged());
  const find = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    if (!search().trim()) return;
    await run(async () => {
      const page = await people.listCustomers({ q: search() });
      setFound(
        page.data.filter((c) => !props.issue.customer_ids.includes(c.id)).map((c) => ({ id: c.id, title: c.title, email: c.email })),
      );
    });
  };
  return (
    <>
      <section aria-labelledby="issue-customers-title">
        <h2 id="issue-customers-title">Customers</h2>
        <ul class="rows" data-testid="issue-customers">
          <For each={props.issue.customer_ids} fallback={<li class="small muted">No linked customers.</li>}>
            {(id) => {
              const c = () => customers()?.find((x) => x?.id === id);
              const name = (): string => c()?.title ?? 'Customer';
              return (
                <li data-customer-id={id}>
                  <A href={`/customers/${encodeURIComponent(id)}`}>{name()}</A>
                  <span class="small muted">{c()?.email ?? ''}</span>
                  <UnlinkButton
                    label={`Unlink customer ${name()}`}
                    busy={busy()}
                    onUnlink={() => void run(() => people.unlinkCustomer(props.issue.id, id))}
                  />
                </li>
              );
            }}
          </For>
        </ul>
        <form class="inline-form" role="search" aria-label="Find a customer to link" onSubmit={(e) => void find(e)}>
          <label for="find-customer" class="visually-hidden">
            Find a customer by name or email
          </label>
          <input
            id="find-customer"
            type="search"
            placeholder="Find a customer by name or email"
            value={search()}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
          <button type="submit" class="btn small" disabled={!search().trim() || busy()}>
            Find
          </button>
        </form>
        <Show when={found()}>
          {(list) => (
            <ul class="rows" data-testid="customer-candidates" aria-label="Customers found">
              <For each={list()} fallback={<li class="small muted">No other customer matches.</li>}>
                {(c) => (
                  <li>
                    <span>{c.title}</span>
                    <span class="small muted">{c.email ?? ''}</span>
                    <button
                      type="button"
                      class="btn small"
                      aria-label={`Link customer ${c.title}`}
                      disabled={busy()}
                      onClick={() =>
                        void run(() => people.linkCustomer(props.issue.id, c.id)).then((done) => {
                          if (done) {
                            setFound(null);
                            setSearch('');
                          }
                        })
                      }
                    >
                      Link
                    </button>
                  </li>
                )}
              </For>
            </ul>
          )}
        </Show>
      </section>
      <section aria-labelledby="issue-conversations-title">
        <h2 id="issue-conversations-title">Conversations</h2>
        <ul class="rows" data-testid="issue-conversations">
          <For each={props.issue.conversation_ids} fallback={<li class="small muted">No linked conversations.</li>}>
            {(id) => {
              const conv = () => conversations()?.find((x) => x?.id === id);
              const label = (): string => {
                const c = conv();
                return c ? `${c.subject ?? `Conversation by ${c.source}`} (${c.status})` : 'Conversation';
              };
              return (
                <li data-conversation-id={id}>
                  <A href={conversationHref(conv() ?? { id, status: 'open' })}>{label()}</A>
                  <UnlinkButton
                    label={`Unlink conversation ${label()}`}
                    busy={busy()}
                    onUnlink={() => void run(() => people.unlinkConversation(props.issue.id, id))}
                  />
                </li>
              );
            }}
          </For>
        </ul>
        <Show
          when={candidates().length > 0}
          fallback={
            <p class="small muted">
              {props.issue.customer_ids.length === 0
                ? 'Link a customer first to link one of their conversations.'
                : 'No other conversation of the linked customers to link.'}
            </p>
          }
        >
          <PickForm
            id="link-conversation"
            label="Conversation to link"
            placeholder="Choose a conversation…"
            options={candidates()}
            optionLabel={(c) => c.label}
            button="Link conversation"
            busy={busy()}
            onPick={(id) => run(() => people.linkConversation(props.issue.id, id))}
          />
        </Show>
      </section>
      <SectionError error={error()} testId="issue-link-error" />
    </>
  );
}

function IssuePage(props: { id: string }): JSX.Element {
  const [, { api }] = useSession();
  const people = peopleApi(api);
  const [issue, { refetch, mutate }] = createResource(
    () => props.id,
    (id) => load(() => people.getIssue(id)),
  );
  useRecordChanges(
    'issue',
    () => props.id,
    () => void refetch(),
  );
  const [title, setTitle] = createSignal<string | null>(null);
  const [body, setBody] = createSignal<string | null>(null);
  const { errors, status, reset, saved, failed } = useFormOutcome();
  const save = async (current: IssueWithLinks, changes: Parameters<typeof people.updateIssue>[1]): Promise<void> => {
    reset();
    try {
      const updated = await people.updateIssue(current.id, changes);
      mutate({ ok: true, value: updated });
      setTitle(null);
      setBody(null);
      saved('Saved.');
    } catch (err) {
      failed(err);
    }
  };
  return (
    <RecordPage kind="issue" plural="issues" data={issue} retry={() => void refetch()}>
      {(i) => (
        <>
          <h1 id="issue-title">{i().title}</h1>
          <p class="small muted">
            Created {formatListTime(i().created_at)}
            <Show when={i().github_issue_url}>
              {(url) => (
                <>
                  {' · '}
                  <a href={url()} target="_blank" rel="noopener noreferrer">
                    GitHub issue
                  </a>
                </>
              )}
            </Show>
          </p>
          <div class="people-columns">
            <div>
              <div class="field">
                <label for="issue-state">Status</label>
                <select id="issue-state" value={i().state} onChange={(e) => void save(i(), { state: e.currentTarget.value as IssueState })}>
                  <For each={ISSUE_STATES}>{(s) => <option value={s}>{ISSUE_STATE_LABELS[s]}</option>}</For>
                </select>
              </div>
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  void save(i(), { title: (title() ?? i().title).trim(), body: (body() ?? i().body ?? '').trim() || null });
                }}
                novalidate
              >
                <div class="field">
                  <label for="issue-title-input">Title</label>
                  <input
                    id="issue-title-input"
                    type="text"
                    value={title() ?? i().title}
                    aria-invalid={fieldError(errors(), 'title') ? 'true' : undefined}
                    aria-describedby="issue-title-error"
                    onInput={(e) => setTitle(e.currentTarget.value)}
                  />
                  <FieldError id="issue-title-error" message={fieldError(errors(), 'title')} />
                </div>
                <div class="field">
                  <label for="issue-body">Description</label>
                  <textarea id="issue-body" rows={5} value={body() ?? i().body ?? ''} onInput={(e) => setBody(e.currentTarget.value)} />
                </div>
                <div class="form-actions">
                  <button type="submit" class="btn primary small" disabled={title() === null && body() === null}>
                    Save issue
                  </button>
                  <FormStatus status={status()} testId="issue-status" />
                </div>
              </form>
              <DeleteZone kind="issue" back="/issues" remove={() => people.deleteIssue(i().id)}>
                Delete “{i().title}” and its links? This cannot be undone.
              </DeleteZone>
            </div>
            <div>
              <IssueLinks issue={i()} onChanged={() => void refetch()} />
              <IssueGithub issue={i()} onChanged={() => void refetch()} />
            </div>
          </div>
        </>
      )}
    </RecordPage>
  );
}

export default function IssuesPage(): JSX.Element {
  return <ListOrRecord list={() => <IssueList />} record={(id) => <IssuePage id={id} />} />;
}
