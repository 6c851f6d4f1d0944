/**
 * "We stopped mailing this address" (issue #19 leftover a): an address that
 * bounced for good, complained (SES) or that its mail server refused is
 * suppressed (services/email-channel/suppressions.ts) and replies by email to
 * it are not sent. Shown on the customer page and in an email conversation,
 * with the admin action that lifts it (DELETE /api/email_suppressions/:email);
 * agents who are not admins are told to ask one.
 */
import { Show, createResource, createSignal, type JSX } from 'solid-js';
import type { EmailSuppression } from '../../../gateway/protocol/wire/email.js';
import { describeError } from '../lib/api';
import { formatFullTime } from '../lib/time';
import { useSession } from '../stores/session';

const WHAT: Record<string, string> = {
  bounce: 'bounced',
  complaint: 'complained (marked our mail as spam)',
  rejected: "was refused by the recipient's mail server",
};

export function EmailSuppressionNotice(props: { email: string | null | undefined }): JSX.Element {
  const [session, { api }] = useSession();
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [lifted, setLifted] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [found] = createResource(
    () => props.email?.trim() || undefined,
    async (email) => {
      const res = await api.request<{ data: EmailSuppression[] }>('GET', '/api/email_suppressions', undefined, { email });
      return res.data[0] ?? null;
    },
  );
  const lift = async (email: string): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await api.request('DELETE', `/api/email_suppressions/${encodeURIComponent(email)}`);
      setLifted(true);
    } catch (err) {
      setError(`Could not lift it: ${describeError(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Show
      when={!lifted() && !found.error && found()}
      fallback={
        <Show when={lifted()}>
          <p class="small" role="status" data-testid="email-suppression-lifted">
            We mail this address again.
          </p>
        </Show>
      }
    >
      {(s) => (
        <div class="email-suppression" role="status" data-testid="email-suppression">
          <p class="small">
            This address ({s().email}) {WHAT[s().reason] ?? s().reason} on{' '}
            <time datetime={s().created_at}>{formatFullTime(s().created_at)}</time>; we stopped mailing it.
            <Show when={s().detail}>{(d) => <span class="muted"> ({d()})</span>}</Show>
          </p>
          <Show when={isAdmin()} fallback={<p class="small muted">An admin can mail it again once the customer fixed their mailbox.</p>}>
            <button class="btn small" type="button" disabled={busy()} onClick={() => void lift(s().email)}>
              {busy() ? 'Lifting…' : 'Mail this address again'}
            </button>
          </Show>
          <Show when={error()}>
            <p class="form-error small" role="alert">
              {error()}
            </p>
          </Show>
        </div>
      )}
    </Show>
  );
}
