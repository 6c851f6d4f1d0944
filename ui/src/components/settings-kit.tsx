/**
 * The pieces every settings section shares: `load()` turns a request into a
 * value or a "not available" / error result, `<Section>` shows its loading,
 * not-available, error (with retry) and content states, `<Status>` announces
 * the outcome of a save, and `useSaver()` runs a save and keeps that outcome.
 * Sections live in pages/settings.tsx and pages/settings/*.tsx and import these
 * from here (a section file importing settings.tsx would be an import cycle).
 */
import { Match, Show, Switch, createSignal, createUniqueId, type JSX, type Resource } from 'solid-js';
import { ApiError, describeError } from '../lib/api';
import type { OAuthReturn } from '../lib/oauth';

export type Loaded<T> = { ok: true; value: T } | { ok: false; unavailable: boolean; error: string };

/** Run a request for a section; a missing route (404/405) is "not available", anything else an error. */
export async function load<T>(fn: () => Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, unavailable: err instanceof ApiError && err.isMissingRoute, error: describeError(err) };
  }
}

/** Loading, "not available", error and content states of one section. */
export function Section<T>(props: {
  title: string;
  data: Resource<Loaded<T>>;
  children: (value: T) => JSX.Element;
  what: string;
  /** Offered as a "Try again" button when loading failed (not when the route is missing). */
  onRetry?: () => void;
}): JSX.Element {
  const failed = (): Extract<Loaded<T>, { ok: false }> | undefined => {
    const d = props.data();
    return d && !d.ok ? d : undefined;
  };
  const value = (): { value: T } | undefined => {
    const d = props.data();
    return d?.ok ? d : undefined;
  };
  // Several sections can share a page (AI + business context, team + invitations): ids must differ.
  const titleId = `settings-title-${createUniqueId()}`;
  return (
    <section class="settings-section" aria-labelledby={titleId}>
      <h1 id={titleId}>{props.title}</h1>
      <Switch>
        <Match when={props.data.loading && !props.data()}>
          <div class="state" role="status">
            <span class="spinner" aria-hidden="true" /> Loading…
          </div>
        </Match>
        <Match when={failed()}>
          {(f) => (
            <div
              class={`state ${f().unavailable ? 'unavailable' : 'error'}`}
              role={f().unavailable ? 'status' : 'alert'}
              data-testid="not-available"
            >
              {f().unavailable
                ? `${props.what} is not available on this server yet.`
                : `Could not load ${props.what.toLowerCase()}: ${f().error}`}
              <Show when={!f().unavailable && props.onRetry}>
                {' '}
                <button class="btn small" type="button" onClick={() => props.onRetry?.()} disabled={props.data.loading}>
                  Try again
                </button>
              </Show>
            </div>
          )}
        </Match>
        <Match when={value()}>{(d) => props.children(d().value)}</Match>
      </Switch>
    </section>
  );
}

/** The outcome of the last save, announced to screen readers (an error as an alert). */
export function Status(props: { message: string | null; error?: boolean; testId?: string }): JSX.Element {
  return (
    <p class={props.error ? 'form-error' : 'form-ok'} role={props.error ? 'alert' : 'status'} aria-live="polite" data-testid={props.testId}>
      {props.message ?? ''}
    </p>
  );
}

/** A checkbox with its label after it (a `.field.inline` row). */
export function CheckRow(props: {
  id: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  describedBy?: string;
  children: JSX.Element;
}): JSX.Element {
  return (
    <div class="field inline">
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
        aria-describedby={props.describedBy}
      />
      <label for={props.id}>{props.children}</label>
    </div>
  );
}

/**
 * Focus back to the button that asked a question, once the question is answered "no": `arm()` before closing it, and
 * `ref` on the button (rendered again when the question closes). Nothing happens on the button's first rendering.
 */
export function focusReturn(): { arm: () => void; ref: (el: HTMLElement) => void } {
  let armed = false;
  return {
    arm: () => {
      armed = true;
    },
    ref: (el) => {
      if (!armed) return;
      armed = false;
      queueMicrotask(() => el.focus());
    },
  };
}

/**
 * A list row's "Edit" and "Delete" buttons; "Delete" asks `question` first
 * ("Yes, delete" runs `onDelete`, "Keep it" cancels). `name` ends both
 * buttons' names for screen readers. The row keeps `confirming`, so the
 * question stays open across an edit.
 */
export function EditDelete(props: {
  name: string;
  onEdit: () => void;
  question: JSX.Element;
  onDelete: () => void;
  confirming: [() => boolean, (confirming: boolean) => void];
}): JSX.Element {
  const [confirming, setConfirming] = props.confirming;
  // Keyboard: the question takes the focus on "Keep it" (the safe answer); "Keep it" gives it back to "Delete".
  const back = focusReturn();
  return (
    <>
      <button class="btn ghost small" type="button" onClick={() => props.onEdit()}>
        Edit<span class="visually-hidden">{` ${props.name}`}</span>
      </button>
      <Show
        when={confirming()}
        fallback={
          <button class="btn ghost small" type="button" onClick={() => setConfirming(true)} ref={back.ref}>
            Delete<span class="visually-hidden">{` ${props.name}`}</span>
          </button>
        }
      >
        <span class="small" role="alert">
          {props.question}
        </span>
        <button class="btn small danger" type="button" onClick={() => props.onDelete()}>
          Yes, delete
        </button>
        <button
          class="btn ghost small"
          type="button"
          onClick={() => {
            back.arm();
            setConfirming(false);
          }}
          ref={(el) => queueMicrotask(() => el.focus())}
        >
          Keep it
        </button>
      </Show>
    </>
  );
}

/**
 * Back from a vendor's consent page (`back`, read from the address): finish the connection once with
 * `finish`, say so with `connected` (or say the refusal), then drop code and state from the address
 * bar. Nothing for an ordinary visit. Call it from `onMount`.
 */
export function finishOAuthReturn(
  back: OAuthReturn,
  save: (fn: () => Promise<unknown>, ok?: string) => Promise<boolean>,
  finish: (code: string, state: string) => Promise<unknown>,
  refetch: () => unknown,
  connected: string,
): void {
  if (back.kind === 'none') return;
  window.history.replaceState(null, '', window.location.pathname);
  if (back.kind === 'denied') {
    void save(() => Promise.reject(new Error(back.reason)));
    return;
  }
  void save(async () => {
    const c = await finish(back.code, back.state);
    void refetch();
    return c;
  }, connected);
}

/** `[message, failed, save]`: `save(fn, ok)` runs `fn` and sets `ok` or the error as the message. Resolves whether it succeeded. */
export function useSaver(): [() => string | null, () => boolean, (fn: () => Promise<unknown>, ok?: string) => Promise<boolean>] {
  const [message, setMessage] = createSignal<string | null>(null);
  const [failed, setFailed] = createSignal(false);
  const save = async (fn: () => Promise<unknown>, ok = 'Saved.'): Promise<boolean> => {
    setMessage(null);
    try {
      await fn();
      setFailed(false);
      setMessage(ok);
      return true;
    } catch (err) {
      setFailed(true);
      setMessage(describeError(err));
      return false;
    }
  };
  return [message, failed, save];
}
