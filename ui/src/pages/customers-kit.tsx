/**
 * Small pieces shared by the customers, companies and issues screens: a
 * loaded-or-failed result, the loading / error / no-permission / not-found
 * states (`<Loader>`), a record's page (`<RecordPage>`: those states, the
 * back link, and `<DeleteZone>` to delete it after a confirmation), the
 * pager, and pieces of a record's sections (`<PickForm>`, `<UnlinkButton>`).
 */
import { A, useNavigate, useParams } from '@solidjs/router';
import { For, Match, Show, Switch, createResource, createSignal, onCleanup, type Accessor, type JSX } from 'solid-js';
import { EVENTS } from '../../../gateway/protocol/index.js';
import { ApiError, describeError } from '../lib/api';
import type { RecordChangedEvent } from '../lib/wire';
import { useRealtime } from '../stores/realtime';

export type Loaded<T> = { ok: true; value: T } | { ok: false; status: number; error: string };

/** Run `fn`, keeping a failure as a value (a resource that throws loses its last good value). */
export async function load<T>(fn: () => Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, status: err instanceof ApiError ? err.status : 0, error: describeError(err) };
  }
}

export function valueOf<T>(d: Loaded<T> | undefined): T | undefined {
  return d?.ok ? d.value : undefined;
}

export function failureOf<T>(d: Loaded<T> | undefined): Extract<Loaded<T>, { ok: false }> | undefined {
  return d && !d.ok ? d : undefined;
}

export function Loading(props: { what: string; testId?: string }): JSX.Element {
  return (
    <div class="state" role="status" data-testid={props.testId ?? 'people-loading'}>
      <span>
        <span class="spinner" aria-hidden="true" /> Loading {props.what}…
      </span>
    </div>
  );
}

/**
 * A failed load: no permission (403), not found (404) or an error with a retry. `record` when `what` is
 * one record's kind ("company"): the messages then speak of "this company".
 */
export function Failure(props: {
  what: string;
  failure: { status: number; error: string };
  retry: () => void;
  record?: boolean;
}): JSX.Element {
  const what = (): string => (props.record ? `this ${props.what}` : props.what);
  return (
    <Switch>
      <Match when={props.failure.status === 403}>
        <div class="state unavailable" role="status" data-testid="people-forbidden">
          You do not have permission to see {what()}. Ask an admin of your account.
        </div>
      </Match>
      <Match when={props.failure.status === 404}>
        <div class="state unavailable" role="status" data-testid="people-not-found">
          This {props.what} does not exist (any more), or belongs to another account.
        </div>
      </Match>
      <Match when={true}>
        <div class="state error" role="alert" data-testid="people-error">
          <span>
            Could not load {what()}: {props.failure.error}
          </span>
          <button type="button" class="btn small" onClick={() => props.retry()}>
            Try again
          </button>
        </div>
      </Match>
    </Switch>
  );
}

/** A `load()` resource: what `createResource` gives back. */
type LoadedResource<T> = { (): Loaded<T> | undefined; loading: boolean };

/**
 * Keeps a screen current (docs/realtime.md): `reload` runs when a teammate (or
 * another tab) creates, edits or deletes a record of `kind` — only the one with
 * `id()` when given — and after the socket rejoins (events may have been
 * missed). Bursts are gathered into one reload.
 */
export function useRecordChanges(kind: RecordChangedEvent['kind'], id: (() => string) | null, reload: () => void): void {
  const [, realtime] = useRealtime();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const soon = (): void => {
    clearTimeout(timer);
    timer = setTimeout(reload, 250);
  };
  const stop = realtime.subscribe((e) => {
    if (e.event !== EVENTS.recordChanged || e.payload.kind !== kind) return;
    if (id === null || e.payload.id === id()) soon();
  }, soon);
  onCleanup(() => {
    stop();
    clearTimeout(timer);
  });
}

/** One keyset page of a list (`next` is the following page's cursor, null on the last). */
export interface KeysetPage<T> {
  data: T[];
  next: string | null;
}

/**
 * A list loaded a page at a time: the first page whenever `filters` change,
 * then `more()` appends the next one. `list` is a `load()` resource of every
 * row so far (for `<Loader>`), and `<MoreButton>` shows the rest of the state.
 */
export function usePagedList<F, T>(
  filters: () => F,
  fetchPage: (filters: F, after?: string) => Promise<KeysetPage<T>>,
): { list: LoadedResource<T[]>; refetch: () => void; more: PagedMore } {
  const [extra, setExtra] = createSignal<T[]>([]);
  const [next, setNext] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let current: F | undefined;
  const [first, { refetch }] = createResource(filters, async (f) => {
    current = f;
    const page = await load(() => fetchPage(f));
    setExtra([]);
    setError(null);
    setNext(page.ok ? page.value.next : null);
    return page.ok ? { ok: true as const, value: page.value.data } : page;
  });
  const list = Object.assign(
    (): Loaded<T[]> | undefined => {
      const v = first();
      return v?.ok ? { ok: true, value: [...v.value, ...extra()] } : v;
    },
    {
      get loading() {
        return first.loading;
      },
    },
  );
  const loadMore = async (): Promise<void> => {
    const after = next();
    if (!after || busy() || current === undefined) return;
    const asked = current;
    setBusy(true);
    setError(null);
    const page = await load(() => fetchPage(asked, after));
    setBusy(false);
    if (asked !== current) return; // the filters changed meanwhile: that page belongs to another list
    if (!page.ok) return void setError(page.error);
    setExtra((rows) => [...rows, ...page.value.data]);
    setNext(page.value.next);
  };
  return { list, refetch: () => void refetch(), more: { hasMore: () => next() !== null, busy, error, load: loadMore } };
}

export interface PagedMore {
  hasMore: () => boolean;
  busy: () => boolean;
  error: () => string | null;
  load: () => Promise<void>;
}

/** "Show more" under a paged list: busy while loading, the failure with a retry, nothing on the last page. */
export function MoreButton(props: { more: PagedMore; what: string }): JSX.Element {
  return (
    <Show when={props.more.hasMore() || props.more.error()}>
      <div class="more-rows">
        <Show when={props.more.error()}>
          {(e) => (
            <p class="state error" role="alert">
              Could not load more {props.what}: {e()}
            </p>
          )}
        </Show>
        <button
          type="button"
          class="btn small"
          data-testid="show-more"
          disabled={props.more.busy()}
          aria-busy={props.more.busy()}
          onClick={() => void props.more.load()}
        >
          {props.more.busy() ? `Loading more ${props.what}…` : `Show more ${props.what}`}
        </button>
      </div>
    </Show>
  );
}

/**
 * The states of a `load()` resource: loading (only before a first result,
 * unless `eager`), failure (`what` names it), empty (`empty` says when, shown
 * as `whenEmpty`), and the value.
 */
export function Loader<T>(props: {
  data: LoadedResource<T>;
  /** For "Loading …". */
  loading: string;
  what: string;
  retry: () => void;
  /** Show "loading" again while reloading (the default keeps the last result up). */
  eager?: boolean;
  /** `what` is one record's kind: failures speak of "this <what>". */
  record?: boolean;
  empty?: (value: T) => boolean;
  whenEmpty?: JSX.Element;
  children: (value: Accessor<T>) => JSX.Element;
}): JSX.Element {
  const isEmpty = (): boolean => {
    const v = valueOf(props.data());
    return v !== undefined && props.empty !== undefined && props.empty(v);
  };
  return (
    <Switch>
      <Match when={props.data.loading && (props.eager || !props.data())}>
        <Loading what={props.loading} />
      </Match>
      <Match when={failureOf(props.data())}>
        {(f) => <Failure what={props.what} failure={f()} retry={() => props.retry()} record={props.record} />}
      </Match>
      <Match when={isEmpty()}>{props.whenEmpty}</Match>
      <Match when={valueOf(props.data())}>{(v) => props.children(v)}</Match>
    </Switch>
  );
}

/** `/<plural>` shows `list()`, `/<plural>/:id` `record(id)` (a fresh one for each id). */
export function ListOrRecord(props: { list: () => JSX.Element; record: (id: string) => JSX.Element }): JSX.Element {
  const params = useParams<{ id?: string }>();
  return (
    <div class="people-page">
      <Show when={params.id} fallback={props.list()} keyed>
        {(id) => props.record(id)}
      </Show>
    </div>
  );
}

/**
 * One record's page (`/companies/:id`, `/issues/:id`, `/customers/:id`): its
 * loading and failure states, then an article labelled by `#<kind>-title`
 * and marked `data-<kind>-id`, opening with a link back to `/<plural>`.
 */
export function RecordPage<T extends { id: string }>(props: {
  kind: 'company' | 'issue' | 'customer';
  plural: string;
  data: LoadedResource<T>;
  retry: () => void;
  children: (value: Accessor<T>) => JSX.Element;
}): JSX.Element {
  return (
    <Loader data={props.data} loading={`the ${props.kind}`} what={props.kind} retry={props.retry} record>
      {(v) => (
        <article
          class="people-detail"
          aria-labelledby={`${props.kind}-title`}
          // One of the three, by name (a spread would pull Solid's spread() into the initial bundle).
          data-company-id={props.kind === 'company' ? v().id : undefined}
          data-issue-id={props.kind === 'issue' ? v().id : undefined}
          data-customer-id={props.kind === 'customer' ? v().id : undefined}
        >
          <A href={`/${props.plural}`} class="small">
            {`← All ${props.plural}`}
          </A>
          {props.children(v)}
        </article>
      )}
    </Loader>
  );
}

/**
 * "Delete <kind>", then a confirmation (`children` asks the question) that
 * runs `remove` and goes back to `back`; a failure is shown under it.
 */
export function DeleteZone(props: { kind: string; back: string; remove: () => Promise<unknown>; children: JSX.Element }): JSX.Element {
  const navigate = useNavigate();
  const [confirming, setConfirming] = createSignal(false);
  const [runDelete, deleteError, deleting] = useAction(() => navigate(props.back, { replace: true }));
  return (
    <div class="danger-zone">
      <Show
        when={confirming()}
        fallback={
          <button type="button" class="btn small danger" onClick={() => setConfirming(true)}>
            {`Delete ${props.kind}`}
          </button>
        }
      >
        <div role="alertdialog" aria-labelledby={`confirm-delete-${props.kind}`} class="confirm">
          <p id={`confirm-delete-${props.kind}`}>{props.children}</p>
          <button
            type="button"
            class="btn small danger"
            disabled={deleting()}
            onClick={() => void runDelete(() => props.remove())}
            ref={(el) => queueMicrotask(() => el.focus())}
          >
            Yes, delete
          </button>{' '}
          <button type="button" class="btn small" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      </Show>
      <SectionError error={deleteError()} testId={`${props.kind}-delete-error`} />
    </div>
  );
}

export function Pager(props: {
  page: number;
  totalPages: number;
  total: number;
  onPage: (page: number) => void;
  label: string;
}): JSX.Element {
  return (
    <Show when={props.totalPages > 1}>
      <nav class="pager" aria-label={`${props.label} pages`}>
        <button type="button" class="btn small" disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)}>
          ← Previous
        </button>
        <span class="small muted" aria-live="polite" data-testid="pager-status">
          Page {props.page} of {props.totalPages} · {props.total} in all
        </span>
        <button type="button" class="btn small" disabled={props.page >= props.totalPages} onClick={() => props.onPage(props.page + 1)}>
          Next →
        </button>
      </nav>
    </Show>
  );
}

export type Outcome = { ok: boolean; text: string } | null;

/**
 * A form's field errors and the outcome of its last save: `reset()` as a save
 * starts, `saved(text)` after it, `failed(err)` keeps the API's field errors
 * (then the outcome asks to fix them).
 */
export function useFormOutcome(): {
  errors: () => Record<string, string[]> | undefined;
  status: () => Outcome;
  reset: () => void;
  saved: (text: string) => void;
  failed: (err: unknown) => void;
} {
  const [errors, setErrors] = createSignal<Record<string, string[]> | undefined>();
  const [status, setStatus] = createSignal<Outcome>(null);
  return {
    errors,
    status,
    reset: () => setStatus(null),
    saved: (text) => {
      setErrors(undefined);
      setStatus({ ok: true, text });
    },
    failed: (err) => {
      setErrors(err instanceof ApiError ? err.errors : undefined);
      setStatus({ ok: false, text: err instanceof ApiError && err.errors ? 'Fix the fields marked below.' : describeError(err) });
    },
  };
}

/** The outcome of a form's last save, next to its button. */
export function FormStatus(props: { status: Outcome; testId: string }): JSX.Element {
  return (
    <span class={props.status?.ok ? 'form-ok' : 'form-error'} role="status" data-testid={props.testId}>
      {props.status?.text ?? ''}
    </span>
  );
}

/** An inline field error under an input, tied to it by `id` (aria-describedby). */
export function FieldError(props: { id: string; message: string | undefined }): JSX.Element {
  return (
    <div class="form-error small" id={props.id} role={props.message ? 'alert' : undefined}>
      {props.message ?? ''}
    </div>
  );
}

/** Runs an action of a section (resolves whether it succeeded), keeping its error for display; `after` reloads. */
export function useAction(after: () => void): [(fn: () => Promise<unknown>) => Promise<boolean>, () => string | null, () => boolean] {
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const run = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      after();
      return true;
    } catch (err) {
      setError(describeError(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return [run, error, busy];
}

export function SectionError(props: { error: string | null; testId: string }): JSX.Element {
  return (
    <Show when={props.error}>
      <p class="form-error small" role="alert" data-testid={props.testId}>
        {props.error}
      </p>
    </Show>
  );
}

/**
 * Choose one of `options` in a select (labelled for screen readers by
 * `label`, `placeholder` as its empty choice) and submit: `onPick` runs the
 * change and resolves whether it worked (the choice is then cleared).
 */
export function PickForm<T extends { id: string }>(props: {
  id: string;
  label: string;
  placeholder: string;
  options: T[];
  optionLabel: (option: T) => string;
  button: string;
  busy: boolean;
  onPick: (id: string) => Promise<boolean>;
}): JSX.Element {
  const [choice, setChoice] = createSignal('');
  return (
    <form
      class="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (choice()) void props.onPick(choice()).then((done) => done && setChoice(''));
      }}
    >
      <label for={props.id} class="visually-hidden">
        {props.label}
      </label>
      <select id={props.id} value={choice()} onChange={(e) => setChoice(e.currentTarget.value)}>
        <option value="">{props.placeholder}</option>
        <For each={props.options}>{(o) => <option value={o.id}>{props.optionLabel(o)}</option>}</For>
      </select>
      <button type="submit" class="btn small" disabled={!choice() || props.busy}>
        {props.button}
      </button>
    </form>
  );
}

/** "Unlink" in a row of linked records; `label` names what it unlinks for screen readers. */
export function UnlinkButton(props: { label: string; busy: boolean; onUnlink: () => void }): JSX.Element {
  return (
    <button type="button" class="btn small" aria-label={props.label} disabled={props.busy} onClick={() => props.onUnlink()}>
      Unlink
    </button>
  );
}
