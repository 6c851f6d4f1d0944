/**
 * Scheduled sends and follow-ups in the conversation view (issue #21 point 4): the pending ones
 * above the reply box ("Scheduled for <time>", with Cancel and Edit time), and the composer's
 * "Schedule…" form, which schedules the reply box's text for later, optionally as a follow-up
 * (cancelled when the customer answers first) and/or closing the conversation when it fires.
 * The list follows `record:changed` (kind `scheduled_messages`), so teammates see changes live.
 * Loaded lazily by conversation-view.tsx. Routes: docs/api.md, "Scheduled messages".
 */
import { For, Show, createResource, createSignal, onCleanup, type JSX } from 'solid-js';
import { z } from 'zod';
import { EVENTS } from '../../../gateway/protocol/index.js';
import { scheduledMessageSchema, type ScheduledMessage } from '../../../gateway/protocol/wire/scheduled.js';
import { describeError } from '../lib/api';
import { formatFullTime } from '../lib/time';
import { useRealtime } from '../stores/realtime';
import { useSession } from '../stores/session';

const path = (conversationId: string): string => `/api/conversations/${encodeURIComponent(conversationId)}/scheduled_messages`;

/** `<input type="datetime-local">` value of a time, in the browser's zone. */
function localInputValue(d: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** One hour from now, rounded to the minute: the form's starting value. */
const defaultTime = (): string => localInputValue(new Date(Date.now() + 3_600_000));

function describe(s: ScheduledMessage): string {
  const what = s.body ?? '(no message)';
  const extra = [s.cancel_on_customer_reply ? 'unless the customer replies' : null, s.close_conversation ? 'then close' : null].filter(
    Boolean,
  );
  return extra.length ? `${what} — ${extra.join(', ')}` : what;
}

/** The conversation's pending scheduled messages, live. */
export function ScheduledList(props: { conversationId: string }): JSX.Element {
  const [, { api }] = useSession();
  const [, realtime] = useRealtime();
  const [error, setError] = createSignal<string | null>(null);
  const [editing, setEditing] = createSignal<string | null>(null);
  const [list, { refetch }] = createResource(
    () => props.conversationId,
    (id) => api.parsedData(z.array(scheduledMessageSchema), 'GET', path(id)),
  );
  const stop = realtime.subscribe(
    (e) => {
      if (e.event === EVENTS.recordChanged && e.payload.kind === 'scheduled_messages' && e.payload.id === props.conversationId)
        void refetch();
    },
    () => void refetch(),
  );
  onCleanup(stop);
  // `latest`, not `list()`: a refetch (every record:changed) must not suspend the boundary around this list, which
  // would blank it until the answer came back (a flicker, and a moment when a teammate's items seem gone).
  const pending = (): ScheduledMessage[] => (list.state === 'errored' ? [] : (list.latest ?? []).filter((s) => s.status === 'scheduled'));

  const cancel = async (s: ScheduledMessage): Promise<void> => {
    setError(null);
    try {
      await api.parsedData(scheduledMessageSchema, 'DELETE', `${path(props.conversationId)}/${encodeURIComponent(s.id)}`);
    } catch (err) {
      setError(`Not cancelled: ${describeError(err)}`);
    }
    void refetch();
  };
  const reschedule = async (s: ScheduledMessage, local: string): Promise<void> => {
    setError(null);
    const when = new Date(local);
    if (Number.isNaN(when.getTime())) {
      setError('Pick a date and time.');
      return;
    }
    try {
      await api.parsedData(scheduledMessageSchema, 'PUT', `${path(props.conversationId)}/${encodeURIComponent(s.id)}`, {
        scheduled_message: { send_at: when.toISOString() },
      });
      setEditing(null);
    } catch (err) {
      setError(`Time not changed: ${describeError(err)}`);
    }
    void refetch();
  };

  return (
    <section class="scheduled" aria-label="Scheduled messages" data-testid="scheduled-list">
      <Show when={list.state === 'errored'}>
        <p class="small error" role="alert">
          Scheduled messages could not be loaded.{' '}
          <button type="button" class="btn ghost small" onClick={() => void refetch()}>
            Retry
          </button>
        </p>
      </Show>
      <Show when={error()}>
        {(e) => (
          <p class="small error" role="alert">
            {e()}
          </p>
        )}
      </Show>
      <ul class="rows">
        <For each={pending()}>
          {(s) => (
            <li class="small" data-testid="scheduled-item">
              <span class="tag">
                {s.cancel_on_customer_reply ? 'Follow-up' : 'Scheduled'} for {formatFullTime(s.send_at)}
              </span>{' '}
              <span class="muted">{describe(s)}</span>{' '}
              <Show
                when={editing() === s.id}
                fallback={
                  <>
                    <button type="button" class="btn ghost small" onClick={() => setEditing(s.id)}>
                      Edit time
                    </button>
                    <button type="button" class="btn ghost small" onClick={() => void cancel(s)}>
                      Cancel
                    </button>
                  </>
                }
              >
                <form
                  class="inline"
                  onSubmit={(e) => {
                    e.preventDefault();
                    const input = e.currentTarget.elements.namedItem('send_at') as HTMLInputElement;
                    void reschedule(s, input.value);
                  }}
                >
                  <label>
                    <span class="visually-hidden">New time</span>
                    <input name="send_at" type="datetime-local" required value={localInputValue(new Date(s.send_at))} />
                  </label>
                  <button type="submit" class="btn small">
                    Save time
                  </button>
                  <button type="button" class="btn ghost small" onClick={() => setEditing(null)}>
                    Keep
                  </button>
                </form>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}

/**
 * The composer's "Schedule…" button and its fields: schedules `text()` (or only a close) for
 * later. It sits inside the composer's <form>, so it has no form of its own: Enter in its fields
 * schedules instead of sending now.
 */
export function ScheduleControl(props: {
  conversationId: string;
  text: () => string;
  isNote: () => boolean;
  onScheduled: () => void;
  onError: (message: string) => void;
}): JSX.Element {
  const [, { api }] = useSession();
  const [open, setOpen] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  let sendAt!: HTMLInputElement;
  let isFollowUp!: HTMLInputElement;
  let isClose!: HTMLInputElement;

  const submit = async (): Promise<void> => {
    const when = new Date(sendAt.value);
    const body = props.text().trim();
    if (Number.isNaN(when.getTime())) return props.onError('Pick a date and time.');
    if (!body && !isClose.checked) return props.onError('Write the message to schedule, or choose to close the conversation.');
    setBusy(true);
    try {
      await api.parsedData(scheduledMessageSchema, 'POST', path(props.conversationId), {
        scheduled_message: {
          client_id: crypto.randomUUID(),
          body: body || null,
          private: props.isNote(),
          send_at: when.toISOString(),
          cancel_on_customer_reply: isFollowUp.checked,
          close_conversation: isClose.checked,
        },
      });
      setOpen(false);
      props.onScheduled();
    } catch (err) {
      props.onError(`Not scheduled: ${describeError(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" class="btn ghost small" aria-expanded={open()} onClick={() => setOpen(!open())} data-testid="schedule-toggle">
        Schedule…
      </button>
      <Show when={open()}>
        <div
          class="schedule-form"
          role="group"
          aria-label="Schedule the reply"
          data-testid="schedule-form"
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            void submit();
          }}
        >
          <label>
            Send at <input ref={sendAt} name="send_at" type="datetime-local" required value={defaultTime()} />
          </label>
          <label>
            <input ref={isFollowUp} name="cancel_on_customer_reply" type="checkbox" /> Only if the customer has not replied by then
          </label>
          <label>
            <input ref={isClose} name="close_conversation" type="checkbox" /> Close the conversation when it is sent
          </label>
          <button type="button" class="btn small" disabled={busy()} onClick={() => void submit()}>
            Schedule
          </button>
        </div>
      </Show>
    </>
  );
}
