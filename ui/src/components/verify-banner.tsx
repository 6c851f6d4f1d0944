/**
 * The banner of an agent whose email address is not verified yet
 * (`GET /api/me` → `email_verified: false`): says where the link went, sends a
 * new one (`POST /api/verify_email/resend`), and can be dismissed for the rest
 * of the browser session (sessionStorage, per user). A status region, so
 * screen readers announce it without taking the focus.
 */
import { Show, createSignal, type JSX } from 'solid-js';
import { describeError } from '../lib/api';
import { useSession } from '../stores/session';

const DISMISSED = 'netia.verify-banner.dismissed';

function readDismissed(userId: number | undefined): boolean {
  try {
    return userId !== undefined && window.sessionStorage.getItem(`${DISMISSED}.${userId}`) === '1';
  } catch {
    return false;
  }
}

export function VerifyEmailBanner(): JSX.Element {
  const [session, actions] = useSession();
  const [dismissed, setDismissed] = createSignal(readDismissed(session.session?.user_id));
  const [sending, setSending] = createSignal(false);
  const [outcome, setOutcome] = createSignal<{ text: string; error: boolean } | null>(null);
  const show = (): boolean => session.me?.email_verified === false && !dismissed();
  const dismiss = (): void => {
    setDismissed(true);
    try {
      window.sessionStorage.setItem(`${DISMISSED}.${session.me?.id ?? session.session?.user_id}`, '1');
    } catch {
      // Private mode without storage: dismissed until the next reload.
    }
  };
  const resend = async (): Promise<void> => {
    setSending(true);
    setOutcome(null);
    try {
      await actions.api.resendVerificationEmail();
      setOutcome({ text: 'A new link is on its way.', error: false });
    } catch (err) {
      setOutcome({ text: `The link could not be sent: ${describeError(err)}`, error: true });
    } finally {
      setSending(false);
    }
  };
  return (
    <Show when={show()}>
      <div class="verify-banner" role="status" data-testid="verify-banner">
        <span class="grow">
          Please verify your email address — we sent a link to <strong>{session.me?.email}</strong>.{' '}
          <Show when={outcome()}>{(o) => <span class={o().error ? 'form-error' : ''}>{o().text}</span>}</Show>
        </span>
        <button type="button" class="btn small" onClick={() => void resend()} disabled={sending()} aria-busy={sending()}>
          {sending() ? 'Sending…' : 'Resend'}
        </button>
        <button type="button" class="btn ghost small" onClick={dismiss} aria-label="Dismiss the verification reminder">
          ✕
        </button>
      </div>
    </Show>
  );
}
