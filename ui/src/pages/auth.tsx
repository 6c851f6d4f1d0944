/**
 * Access screens: log in, sign up (new account or by invitation), forgot
 * password, reset password and verify email (docs/compatibility.md#auth-and-passwords), the last
 * three reached from the links of the account mails. Errors from the server
 * are shown next to the form, announced to screen readers; a link that has
 * expired or was already used gets a page of its own that says so and offers
 * the way to a new one.
 */
import { A, useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { Match, Show, Switch, createSignal, onMount, type JSX } from 'solid-js';
import { ApiError, describeError } from '../lib/api';
import { useSession } from '../stores/session';

/** The one query parameter of a mail link (`?token=`), '' when missing or repeated. */
function tokenParam(value: string | string[] | undefined): string {
  return typeof value === 'string' ? value.trim() : '';
}

function AuthFrame(props: { title: string; children: JSX.Element; footer?: JSX.Element }): JSX.Element {
  return (
    <main class="auth">
      <div class="auth-card">
        <div class="brand" aria-hidden="true">
          <span class="brand-mark">N</span> Netia
        </div>
        <h1>{props.title}</h1>
        {props.children}
        <Show when={props.footer}>
          <div class="auth-footer">{props.footer}</div>
        </Show>
      </div>
    </main>
  );
}

function Field(props: {
  label: string;
  name: string;
  type?: string;
  autocomplete?: string;
  value: string;
  onInput: (v: string) => void;
  required?: boolean;
  minLength?: number;
  autofocus?: boolean;
}): JSX.Element {
  const id = `f-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        autocomplete={props.autocomplete}
        value={props.value}
        required={props.required ?? true}
        minLength={props.minLength}
        autofocus={props.autofocus}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </div>
  );
}

function FormError(props: { error: string | null }): JSX.Element {
  return (
    <div class="form-error" role="alert" aria-live="assertive">
      {props.error ?? ''}
    </div>
  );
}

export function LoginPage(): JSX.Element {
  const [, session] = useSession();
  const navigate = useNavigate();
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.login(email().trim(), password());
      navigate('/inbox/open', { replace: true });
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthFrame
      title="Log in to your inbox"
      footer={
        <>
          <A href="/signup">Create an account</A> · <A href="/forgot-password">Forgot your password?</A>
        </>
      }
    >
      <form onSubmit={(e) => void submit(e)} novalidate={false}>
        <Field label="Email" name="email" type="email" autocomplete="username" value={email()} onInput={setEmail} autofocus />
        <Field label="Password" name="password" type="password" autocomplete="current-password" value={password()} onInput={setPassword} />
        <FormError error={error()} />
        <button class="btn primary wide" type="submit" disabled={busy()}>
          {busy() ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </AuthFrame>
  );
}

/** A link from a mail that can no longer be used: what happened and the way forward. */
function DeadLinkPage(props: { title: string; testId: string; children: JSX.Element; footer?: JSX.Element }): JSX.Element {
  return (
    <AuthFrame title={props.title} footer={props.footer ?? <A href="/login">Back to log in</A>}>
      <div class="auth-state error-state" role="alert" data-testid={props.testId}>
        {props.children}
      </div>
    </AuthFrame>
  );
}

export function SignupPage(): JSX.Element {
  const [, session] = useSession();
  const navigate = useNavigate();
  const params = useParams<{ token?: string }>();
  const [search] = useSearchParams<{ email?: string }>();
  const isInvite = (): boolean => !!params.token;
  const [company, setCompany] = createSignal('');
  const [email, setEmail] = createSignal(typeof search.email === 'string' ? search.email : '');
  const [password, setPassword] = createSignal('');
  const [confirm, setConfirm] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  /** An invitation the server refused (403): expired, or unknown / used / withdrawn. */
  const [deadInvite, setDeadInvite] = createSignal<'expired' | 'invalid' | null>(null);
  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    if (password() !== confirm()) {
      setError('The passwords do not match.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await session.register({
        email: email().trim(),
        password: password(),
        password_confirmation: confirm(),
        ...(isInvite() ? { invite_token: params.token! } : { company_name: company().trim() }),
      });
      navigate('/inbox/open', { replace: true });
    } catch (err) {
      if (isInvite() && err instanceof ApiError && err.status === 403) setDeadInvite(/expired/i.test(err.message) ? 'expired' : 'invalid');
      else setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Switch
      fallback={
        <AuthFrame
          title={isInvite() ? 'Join your team' : 'Create your account'}
          footer={<A href="/login">Already have an account? Log in</A>}
        >
          <form onSubmit={(e) => void submit(e)}>
            <Show when={!isInvite()}>
              <Field
                label="Company name"
                name="company_name"
                autocomplete="organization"
                value={company()}
                onInput={setCompany}
                autofocus
              />
            </Show>
            <Field label="Work email" name="email" type="email" autocomplete="username" value={email()} onInput={setEmail} />
            <Field
              label="Password (at least 8 characters)"
              name="password"
              type="password"
              autocomplete="new-password"
              minLength={8}
              value={password()}
              onInput={setPassword}
            />
            <Field
              label="Confirm password"
              name="password_confirmation"
              type="password"
              autocomplete="new-password"
              minLength={8}
              value={confirm()}
              onInput={setConfirm}
            />
            <FormError error={error()} />
            <button class="btn primary wide" type="submit" disabled={busy()} aria-busy={busy()}>
              {busy() ? 'Creating…' : isInvite() ? 'Join' : 'Create account'}
            </button>
          </form>
        </AuthFrame>
      }
    >
      <Match when={deadInvite() === 'expired'}>
        <DeadLinkPage title="This invitation has expired" testId="invite-expired">
          <p>Invitations are valid for a few days, and this one is over.</p>
          <p>Ask an admin of your team to send you a new invitation.</p>
        </DeadLinkPage>
      </Match>
      <Match when={deadInvite() === 'invalid'}>
        <DeadLinkPage title="This invitation is not valid" testId="invite-invalid">
          <p>The invitation was already used, withdrawn, or the link is incomplete.</p>
          <p>Ask an admin of your team to send you a new invitation.</p>
        </DeadLinkPage>
      </Match>
    </Switch>
  );
}

export function ForgotPasswordPage(): JSX.Element {
  const [, session] = useSession();
  const [email, setEmail] = createSignal('');
  const [sent, setSent] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await session.api.requestPasswordReset(email().trim());
      setSent(true);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthFrame title="Reset your password" footer={<A href="/login">Back to log in</A>}>
      <Show
        when={!sent()}
        fallback={
          <div role="status" data-testid="reset-requested">
            <p>
              If an account exists for {email().trim()}, we sent it a link to reset the password. The link is valid for a limited time and
              works once.
            </p>
            <p class="small muted">
              No mail? Check the spam folder, or{' '}
              <button type="button" class="link-btn" onClick={() => setSent(false)}>
                try again
              </button>
              .
            </p>
          </div>
        }
      >
        <form onSubmit={(e) => void submit(e)}>
          <Field label="Email" name="email" type="email" autocomplete="username" value={email()} onInput={setEmail} autofocus />
          <FormError error={error()} />
          <button class="btn primary wide" type="submit" disabled={busy()} aria-busy={busy()}>
            {busy() ? 'Sending…' : 'Send reset link'}
          </button>
        </form>
      </Show>
    </AuthFrame>
  );
}

/** The expired / already-used page of a password reset link, with the way to a new one. */
function ResetLinkDead(): JSX.Element {
  return (
    <DeadLinkPage title="This link has expired or was already used" testId="reset-expired">
      <p>A link to reset your password works once, for a limited time.</p>
      <p>
        <A href="/forgot-password" class="btn primary">
          Request a new link
        </A>
      </p>
    </DeadLinkPage>
  );
}

export function ResetPasswordPage(): JSX.Element {
  const [, session] = useSession();
  const [search] = useSearchParams<{ token?: string }>();
  const token = (): string => tokenParam(search.token);
  const [password, setPassword] = createSignal('');
  const [confirm, setConfirm] = createSignal('');
  const [done, setDone] = createSignal<string | null>(null);
  const [dead, setDead] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    if (password() !== confirm()) {
      setError('The passwords do not match.');
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const res = await session.api.resetPassword(token(), password(), confirm());
      if (res.data.success) setDone(res.data.email ?? '');
      else setError('The password could not be changed.');
    } catch (err) {
      // Unknown, used or expired token: 401 (older servers: 404 or 410).
      if (err instanceof ApiError && [401, 404, 410].includes(err.status)) setDead(true);
      else setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Switch
      fallback={
        <AuthFrame title="Choose a new password" footer={<A href="/login">Back to log in</A>}>
          <form onSubmit={(e) => void submit(e)}>
            <Field
              label="New password"
              name="password"
              type="password"
              autocomplete="new-password"
              minLength={8}
              value={password()}
              onInput={setPassword}
              autofocus
            />
            <Field
              label="Confirm new password"
              name="password_confirmation"
              type="password"
              autocomplete="new-password"
              minLength={8}
              value={confirm()}
              onInput={setConfirm}
            />
            <FormError error={error()} />
            <button class="btn primary wide" type="submit" disabled={busy()} aria-busy={busy()}>
              {busy() ? 'Changing…' : 'Change password'}
            </button>
          </form>
        </AuthFrame>
      }
    >
      <Match when={!token() || dead()}>
        <ResetLinkDead />
      </Match>
      <Match when={done() !== null}>
        <AuthFrame title="Your password was changed">
          <div role="status" data-testid="reset-done">
            <p>Your password was changed{done() ? ` for ${done()}` : ''}. Sessions signed in with the old one may have to log in again.</p>
            <p>
              <A href="/login" class="btn primary">
                Log in
              </A>
            </p>
          </div>
        </AuthFrame>
      </Match>
    </Switch>
  );
}

type VerifyState =
  | { kind: 'loading' }
  | { kind: 'verified' }
  | { kind: 'already' }
  | { kind: 'expired' }
  | { kind: 'invalid' }
  | { kind: 'error'; message: string };

/**
 * `/verify-email?token=…`, the link of the verification mail: posts the token
 * once on arrival and says how it went. An expired link offers a new one when
 * the agent is signed in (else: log in, the banner offers it there).
 */
export function VerifyEmailPage(): JSX.Element {
  const [state, session] = useSession();
  const [search] = useSearchParams<{ token?: string }>();
  const token = (): string => tokenParam(search.token);
  const [result, setResult] = createSignal<VerifyState>({ kind: 'loading' });
  const [resend, setResend] = createSignal<{ busy: boolean; message: string | null; error: boolean }>({
    busy: false,
    message: null,
    error: false,
  });
  const verify = async (): Promise<void> => {
    if (!token()) {
      setResult({ kind: 'invalid' });
      return;
    }
    setResult({ kind: 'loading' });
    try {
      const res = await session.api.verifyEmail(token());
      setResult(res.message && /already/i.test(res.message) ? { kind: 'already' } : { kind: 'verified' });
      // The banner of a signed-in agent goes away.
      if (state.session) void session.loadMe();
    } catch (err) {
      if (err instanceof ApiError && err.status === 410) setResult({ kind: 'expired' });
      else if (err instanceof ApiError && (err.status === 401 || err.status === 404)) setResult({ kind: 'invalid' });
      else setResult({ kind: 'error', message: describeError(err) });
    }
  };
  onMount(() => void verify());
  const sendNew = async (): Promise<void> => {
    setResend({ busy: true, message: null, error: false });
    try {
      await session.api.resendVerificationEmail();
      setResend({
        busy: false,
        message: `We sent a new link to ${state.me?.email ?? state.session?.email ?? 'your address'}.`,
        error: false,
      });
    } catch (err) {
      setResend({ busy: false, message: describeError(err), error: true });
    }
  };
  const next = (): JSX.Element =>
    state.session ? (
      <A href="/inbox/open" class="btn primary">
        Go to your inbox
      </A>
    ) : (
      <A href="/login" class="btn primary">
        Log in
      </A>
    );
  const title = (): string => {
    switch (result().kind) {
      case 'loading':
        return 'Verifying your email address…';
      case 'verified':
        return 'Your email address is verified';
      case 'already':
        return 'Your email address is already verified';
      case 'expired':
        return 'This verification link has expired';
      case 'invalid':
        return 'This verification link is not valid';
      default:
        return 'The email address could not be verified';
    }
  };
  return (
    <AuthFrame
      title={title()}
      footer={<A href={state.session ? '/inbox/open' : '/login'}>{state.session ? 'Back to the inbox' : 'Back to log in'}</A>}
    >
      <Switch>
        <Match when={result().kind === 'loading'}>
          <div class="auth-state" role="status" data-testid="verify-loading">
            <span class="spinner" aria-hidden="true" /> Checking the link…
          </div>
        </Match>
        <Match when={result().kind === 'verified'}>
          <div class="auth-state" role="status" data-testid="verify-success">
            <p>Thank you: mail for your account will reach you, and you can reset your password by email.</p>
            <p>{next()}</p>
          </div>
        </Match>
        <Match when={result().kind === 'already'}>
          <div class="auth-state" role="status" data-testid="verify-already">
            <p>This link was used before: nothing more to do.</p>
            <p>{next()}</p>
          </div>
        </Match>
        <Match when={result().kind === 'expired'}>
          <div class="auth-state error-state" role="alert" data-testid="verify-expired">
            <p>Verification links are valid for a limited time.</p>
            <Show
              when={state.session}
              fallback={
                <p>
                  <A href="/login">Log in</A> to get a new link.
                </p>
              }
            >
              <p>
                <button type="button" class="btn primary" onClick={() => void sendNew()} disabled={resend().busy} aria-busy={resend().busy}>
                  {resend().busy ? 'Sending…' : 'Send a new link'}
                </button>
              </p>
            </Show>
          </div>
          <p
            class={resend().error ? 'form-error' : 'form-ok'}
            role={resend().error ? 'alert' : 'status'}
            data-testid="verify-resend-status"
          >
            {resend().message ?? ''}
          </p>
        </Match>
        <Match when={result().kind === 'invalid'}>
          <div class="auth-state error-state" role="alert" data-testid="verify-invalid">
            <p>The link is incomplete or unknown. Open the newest verification mail and use its link as it is.</p>
          </div>
        </Match>
        <Match when={result().kind === 'error'}>
          <div class="auth-state error-state" role="alert" data-testid="verify-error">
            <p>{(result() as { message?: string }).message}</p>
            <p>
              <button type="button" class="btn" onClick={() => void verify()}>
                Try again
              </button>
            </p>
          </div>
        </Match>
      </Switch>
    </AuthFrame>
  );
}
