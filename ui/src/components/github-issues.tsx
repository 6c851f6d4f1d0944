/**
 * GitHub issues in the console (issue #19 point 4; loaded on demand, docs/integrations/github.md):
 * - beside a conversation (default export, mounted lazily by ./customer-panel.tsx): create a GitHub
 *   issue from the conversation (repository of the installation, title prefilled, body optional),
 *   shown "creating…" until the worker records it created (with its link) or failed (GitHub's
 *   reason), by polling `GET /api/issues/:id/github`; or link an existing GitHub issue found by
 *   search or pasted as a URL;
 * - on an issue's page (`IssueGithub`): the linked GitHub issue and linking one to the record.
 * When GitHub is not connected both say so and point to Settings → GitHub.
 * The worker records a creation's outcome without telling consoles, hence the polling: every 1 s,
 * growing to 5 s, for at most 3 minutes.
 */
import { A } from '@solidjs/router';
import { For, Show, createResource, createSignal, onCleanup, type JSX } from 'solid-js';
import { describeError } from '../lib/api';
import { ISSUE_STATE_LABELS, peopleApi, type IssueWithLinks } from '../lib/api-people';
import {
  githubIssueLabel,
  githubIssuesApi,
  looksLikeUrl,
  nextPollDelay,
  type GithubIssuesApi,
  type GithubSearchResult,
} from '../lib/github';
import { plainText } from '../lib/markdown';
import type { GithubIssue, GithubIssueRequest } from '../lib/wire';
import { useAction } from '../pages/customers-kit';
import { useConversations } from '../stores/conversations';
import { useSession } from '../stores/session';

const POLL_FIRST_MS = 1000;
const POLL_FOR_MS = 3 * 60_000;

function useGithub(): GithubIssuesApi {
  const [, { api }] = useSession();
  return githubIssuesApi(api);
}

/** Its children when GitHub is connected; else loading, error or "not connected" (with the way to Settings → GitHub). */
function WhenConnected(props: { children: JSX.Element }): JSX.Element {
  const github = useGithub();
  const [status, { refetch }] = createResource(() => github.status());
  return (
    <Show
      when={!status.loading}
      fallback={
        <p class="small muted" role="status">
          Loading GitHub…
        </p>
      }
    >
      <Show
        when={status.error === undefined}
        fallback={
          <p class="form-error small" role="alert">
            GitHub could not be checked: {describeError(status.error)}{' '}
            <button type="button" class="btn ghost small" onClick={() => void refetch()}>
              Retry
            </button>
          </p>
        }
      >
        <Show
          when={status()?.data}
          fallback={
            <p class="small muted" data-testid="github-issues-not-connected">
              GitHub is not connected. An admin connects it in <A href="/settings/github">Settings → GitHub</A>.
            </p>
          }
        >
          {props.children}
        </Show>
      </Show>
    </Show>
  );
}

/**
 * Find a GitHub issue by words (results as a listbox: arrows move, Enter picks, Escape closes) or
 * paste its URL (Enter links it). `onPick` resolves whether the link worked.
 */
function GithubIssuePicker(props: { id: string; label: string; busy: boolean; onPick: (url: string) => Promise<boolean> }): JSX.Element {
  const github = useGithub();
  const [text, setText] = createSignal('');
  const [results, setResults] = createSignal<GithubSearchResult[] | null>(null);
  const [active, setActive] = createSignal(-1);
  const [searching, setSearching] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const listId = `${props.id}-results`;
  const close = (): void => {
    setResults(null);
    setActive(-1);
  };
  const pick = async (url: string): Promise<void> => {
    if (await props.onPick(url)) {
      setText('');
      close();
    }
  };
  const search = async (q: string): Promise<void> => {
    setSearching(true);
    setError(null);
    try {
      setResults(await github.search(q));
      setActive(-1);
    } catch (err) {
      setError(describeError(err));
      close();
    } finally {
      setSearching(false);
    }
  };
  const submit = (e: SubmitEvent): void => {
    e.preventDefault();
    const q = text().trim();
    const chosen = results()?.[active()];
    if (chosen) void pick(chosen.url);
    else if (looksLikeUrl(q)) void pick(q);
    else if (q) void search(q);
  };
  const onKeyDown = (e: KeyboardEvent): void => {
    const list = results();
    if (e.key === 'Escape' && list) {
      e.preventDefault();
      close();
    } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && list?.length) {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => Math.max(0, Math.min(list.length - 1, a + step)));
    }
  };
  return (
    <div data-testid={`${props.id}-picker`}>
      <form class="inline-form" role="search" aria-label={props.label} onSubmit={submit}>
        <label for={props.id} class="visually-hidden">
          {props.label}: search words or a GitHub issue URL
        </label>
        <input
          id={props.id}
          type="search"
          role="combobox"
          autocomplete="off"
          placeholder="Search GitHub issues or paste a URL"
          aria-expanded={results() !== null}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={active() >= 0 ? `${listId}-${active()}` : undefined}
          value={text()}
          onInput={(e) => {
            setText(e.currentTarget.value);
            close();
          }}
          onKeyDown={onKeyDown}
        />
        <button type="submit" class="btn small" disabled={!text().trim() || props.busy || searching()}>
          {looksLikeUrl(text()) ? 'Link' : searching() ? 'Searching…' : 'Search'}
        </button>
      </form>
      <Show when={error()}>
        <p class="form-error small" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={results()}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="small muted">No GitHub issue matches.</p>}>
            <ul class="rows" id={listId} role="listbox" aria-label="GitHub issues found">
              <For each={list()}>
                {(r, i) => (
                  <li
                    id={`${listId}-${i()}`}
                    role="option"
                    aria-selected={i() === active()}
                    style={{ cursor: 'pointer', background: i() === active() ? 'var(--line)' : undefined }}
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => void pick(r.url)}
                  >
                    <span>{r.title}</span>
                    <span class="small muted">
                      {r.repo}#{r.number} · {r.state}
                    </span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </div>
  );
}

/** The linked GitHub issue of an issue record: its link, and linking (or replacing) it by search or URL. */
export function IssueGithub(props: { issue: IssueWithLinks; onChanged: () => void }): JSX.Element {
  const [, { api }] = useSession();
  const people = peopleApi(api);
  const [run, error, busy] = useAction(() => props.onChanged());
  const link = (url: string): Promise<boolean> => run(() => people.updateIssue(props.issue.id, { github_issue_url: url }));
  return (
    <section aria-labelledby="issue-github-title" data-testid="issue-github">
      <h2 id="issue-github-title">GitHub</h2>
      <WhenConnected>
        <Show when={props.issue.github_issue_url} fallback={<p class="small muted">No GitHub issue linked.</p>}>
          {(url) => (
            <p data-testid="issue-github-linked">
              <a href={url()} target="_blank" rel="noopener noreferrer">
                {githubIssueLabel(url())}
              </a>{' '}
              <span class="small muted">
                {props.issue.title} · {ISSUE_STATE_LABELS[props.issue.state]}
              </span>
            </p>
          )}
        </Show>
        <GithubIssuePicker
          id="issue-github-link"
          label={props.issue.github_issue_url ? 'Link another GitHub issue instead' : 'Link a GitHub issue'}
          busy={busy()}
          onPick={link}
        />
        <Show when={error()}>
          <p class="form-error small" role="alert" data-testid="issue-github-error">
            {error()}
          </p>
        </Show>
      </WhenConnected>
    </section>
  );
}

/** "creating…", then the created issue with its link, or GitHub's reason; polled until it leaves `creating`. */
function Creation(props: { issue: GithubIssue }): JSX.Element {
  const github = useGithub();
  const [, { api }] = useSession();
  const people = peopleApi(api);
  const [request, setRequest] = createSignal<GithubIssueRequest | null>(props.issue.github);
  const [url, setUrl] = createSignal<string | null>(props.issue.github_issue_url);
  const [gaveUp, setGaveUp] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const deadline = Date.now() + POLL_FOR_MS;
  const poll = async (delay: number): Promise<void> => {
    if (stopped) return;
    try {
      const r = await github.creation(props.issue.id);
      setRequest(r);
      if (r?.status === 'created') setUrl((await people.getIssue(props.issue.id)).github_issue_url);
      if (r?.status !== 'creating') return;
    } catch {
      // A failed poll is retried at the next tick.
    }
    if (Date.now() + delay > deadline) setGaveUp(true);
    else if (!stopped) timer = setTimeout(() => void poll(nextPollDelay(delay)), delay);
  };
  if (props.issue.github?.status === 'creating') timer = setTimeout(() => void poll(POLL_FIRST_MS), POLL_FIRST_MS);
  onCleanup(() => {
    stopped = true;
    clearTimeout(timer);
  });
  return (
    <div class="small" role="status" data-testid="github-create-result" data-status={request()?.status ?? ''}>
      <Show when={request()?.status === 'creating'}>
        {gaveUp() ? 'Still creating on GitHub; check the issue later.' : `Creating on GitHub in ${request()?.repo ?? ''}…`}
      </Show>
      <Show when={request()?.status === 'created'}>
        Created{' '}
        <Show when={url()} fallback={<>{`${request()?.repo ?? ''}#${request()?.number ?? ''}`}</>}>
          {(u) => (
            <a href={u()} target="_blank" rel="noopener noreferrer" data-testid="github-created-link">
              {githubIssueLabel(u())}
            </a>
          )}
        </Show>
        .
      </Show>
      <Show when={request()?.status === 'failed'}>
        <span class="form-error">GitHub refused it: {request()?.error ?? 'no reason given'}</span>
      </Show>{' '}
      <A href={`/issues/${encodeURIComponent(props.issue.id)}`}>Open the issue</A>
    </div>
  );
}

function CreateForm(props: { conversationId: string; defaultTitle: string }): JSX.Element {
  const github = useGithub();
  const [repos] = createResource(() => github.repositories());
  const [repo, setRepo] = createSignal('');
  const [title, setTitle] = createSignal<string | null>(null);
  const [body, setBody] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [created, setCreated] = createSignal<GithubIssue | null>(null);
  const chosenRepo = (): string => repo() || repos()?.[0]?.full_name || '';
  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setCreated(
        await github.create(props.conversationId, {
          repo: chosenRepo(),
          title: (title() ?? props.defaultTitle).trim(),
          body: body().trim() || null,
        }),
      );
      setTitle(null);
      setBody('');
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Show
        when={!repos.loading}
        fallback={
          <p class="small muted" role="status">
            Loading repositories…
          </p>
        }
      >
        <Show
          when={(repos() ?? []).length > 0}
          fallback={
            <p class="small muted">
              {repos.error !== undefined
                ? `The repositories could not be listed: ${describeError(repos.error)}`
                : 'The GitHub App reaches no repository: choose some in its settings on GitHub.'}
            </p>
          }
        >
          <form onSubmit={(e) => void submit(e)} novalidate data-testid="github-create-form">
            <div class="field">
              <label for="github-create-repo">Repository</label>
              <select id="github-create-repo" value={chosenRepo()} onChange={(e) => setRepo(e.currentTarget.value)}>
                <For each={repos() ?? []}>{(r) => <option value={r.full_name}>{r.full_name}</option>}</For>
              </select>
            </div>
            <div class="field">
              <label for="github-create-title">Title</label>
              <input
                id="github-create-title"
                type="text"
                maxLength={256}
                value={title() ?? props.defaultTitle}
                onInput={(e) => setTitle(e.currentTarget.value)}
              />
            </div>
            <div class="field">
              <label for="github-create-body">Description (optional)</label>
              <textarea id="github-create-body" rows={3} value={body()} onInput={(e) => setBody(e.currentTarget.value)} />
            </div>
            <button type="submit" class="btn small primary" disabled={busy() || !(title() ?? props.defaultTitle).trim()}>
              {busy() ? 'Creating…' : 'Create GitHub issue'}
            </button>
          </form>
        </Show>
      </Show>
      <Show when={error()}>
        <p class="form-error small" role="alert" data-testid="github-create-error">
          {error()}
        </p>
      </Show>
      <Show when={created()} keyed>
        {(issue) => <Creation issue={issue} />}
      </Show>
    </>
  );
}

function LinkExisting(props: { conversationId: string; customerId: string | undefined }): JSX.Element {
  const github = useGithub();
  const [linked, setLinked] = createSignal<GithubIssue | null>(null);
  const [run, error, busy] = useAction(() => undefined);
  const link = (url: string): Promise<boolean> =>
    run(async () => setLinked(await github.link({ url, conversation_id: props.conversationId, customer_id: props.customerId })));
  return (
    <>
      <GithubIssuePicker id="github-link-existing" label="Link an existing GitHub issue" busy={busy()} onPick={link} />
      <Show when={error()}>
        <p class="form-error small" role="alert" data-testid="github-link-error">
          {error()}
        </p>
      </Show>
      <Show when={linked()}>
        {(issue) => (
          <p class="small" role="status" data-testid="github-link-result">
            Linked{' '}
            <Show when={issue().github_issue_url} fallback={issue().title}>
              {(u) => (
                <a href={u()} target="_blank" rel="noopener noreferrer">
                  {githubIssueLabel(u())}
                </a>
              )}
            </Show>{' '}
            ({issue().title}, {ISSUE_STATE_LABELS[issue().state]}). <A href={`/issues/${encodeURIComponent(issue().id)}`}>Open the issue</A>
          </p>
        )}
      </Show>
    </>
  );
}

/** The title a new GitHub issue starts with: the conversation's subject, else its latest message (shortened). */
function titleOf(subject: string | null | undefined, latest: string | null | undefined): string {
  const text = (subject ?? '').trim() || plainText(latest ?? '').trim();
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** GitHub beside a conversation: create an issue from it, or link an existing one. */
export default function ConversationGithub(props: { conversationId: string }): JSX.Element {
  const [conversations] = useConversations();
  return (
    <section aria-labelledby="conversation-github-title" data-testid="conversation-github">
      <h3 id="conversation-github-title">GitHub</h3>
      {/* Keyed: another conversation starts with a fresh form. */}
      <Show when={props.conversationId} keyed>
        {(id) => (
          <WhenConnected>
            <h4 class="small">Create GitHub issue</h4>
            <CreateForm
              conversationId={id}
              defaultTitle={titleOf(conversations.byId[id]?.subject, conversations.byId[id]?.messages?.at(-1)?.body)}
            />
            <h4 class="small">Link existing</h4>
            <LinkExisting conversationId={id} customerId={conversations.byId[id]?.customer_id ?? undefined} />
          </WhenConnected>
        )}
      </Show>
    </section>
  );
}
