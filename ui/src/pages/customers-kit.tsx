/**
 * Small pieces shared by the customers, companies and issues screens: a
 * loaded-or-failed result, the loading / error / no-permission / not-found
 * states, and the pager.
 */
import { Match, Show, Switch, createSignal, type JSX } from 'solid-js';
import { ApiError, describeError } from '../lib/api';

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

/** A failed load: no permission (403), not found (404) or an error with a retry. */
export function Failure(props: { what: string; failure: { status: number; error: string }; retry: () => void }): JSX.Element {
  return (
    <Switch>
      <Match when={props.failure.status === 403}>
        <div class="state unavailable" role="status" data-testid="people-forbidden">
          You do not have permission to see {props.what}. Ask an admin of your account.
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
            Could not load {props.what}: {props.failure.error}
          </span>
          <button type="button" class="btn small" onClick={() => props.retry()}>
            Try again
          </button>
        </div>
      </Match>
    </Switch>
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
