/**
 * Access screens: log in, sign up (new account or by invitation), forgot
 * password and reset password (netia-api.md §2.2). Errors from the server are
 * shown next to the form, announced to screen readers.
 */
import { A, useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { Show, createSignal, type JSX } from 'solid-js';
import { describeError } from '../lib/api';
import { useSession } from '../stores/session';

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

function Field(props: { label: string; name: string; type?: string; autocomplete?: string; value: string; onInput: (v: string) => void; required?: boolean; minLength?: number; autofocus?: boolean }): JSX.Element {
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
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthFrame title={isInvite() ? 'Join your team' : 'Create your account'} footer={<A href="/login">Already have an account? Log in</A>}>
      <form onSubmit={(e) => void submit(e)}>
        <Show when={!isInvite()}>
          <Field label="Company name" name="company_name" autocomplete="organization" value={company()} onInput={setCompany} autofocus />
        </Show>
        <Field label="Work email" name="email" type="email" autocomplete="username" value={email()} onInput={setEmail} />
        <Field label="Password (at least 8 characters)" name="password" type="password" autocomplete="new-password" minLength={8} value={password()} onInput={setPassword} />
        <Field label="Confirm password" name="password_confirmation" type="password" autocomplete="new-password" minLength={8} value={confirm()} onInput={setConfirm} />
        <FormError error={error()} />
        <button class="btn primary wide" type="submit" disabled={busy()}>
          {busy() ? 'Creating…' : isInvite() ? 'Join' : 'Create account'}
        </button>
      </form>
    </AuthFrame>
  );
}

export function ForgotPasswordPage(): JSX.Element {
  const [, session] = useSession();
  const [email, setEmail] = createSignal('');
  const [sent, setSent] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    setError(null);
    try {
      await session.api.requestPasswordReset(email().trim());
      setSent(true);
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <AuthFrame title="Reset your password" footer={<A href="/login">Back to log in</A>}>
      <Show
        when={!sent()}
        fallback={<p role="status">If an account exists for {email()}, we sent it a link to reset the password. The link is valid for a limited time.</p>}
      >
        <form onSubmit={(e) => void submit(e)}>
          <Field label="Email" name="email" type="email" autocomplete="username" value={email()} onInput={setEmail} autofocus />
          <FormError error={error()} />
          <button class="btn primary wide" type="submit">
            Send reset link
          </button>
        </form>
      </Show>
    </AuthFrame>
  );
}

export function ResetPasswordPage(): JSX.Element {
  const [, session] = useSession();
  const [search] = useSearchParams<{ token?: string }>();
  const [password, setPassword] = createSignal('');
  const [confirm, setConfirm] = createSignal('');
  const [done, setDone] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    setError(null);
    try {
      const res = await session.api.resetPassword(typeof search.token === 'string' ? search.token : '', password(), confirm());
      if (res.data.success) setDone(true);
      else setError('The password could not be changed.');
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <AuthFrame title="Choose a new password" footer={<A href="/login">Back to log in</A>}>
      <Show when={!done()} fallback={<p role="status">Your password was changed. <A href="/login">Log in</A> with it now.</p>}>
        <form onSubmit={(e) => void submit(e)}>
          <Field label="New password" name="password" type="password" autocomplete="new-password" minLength={8} value={password()} onInput={setPassword} autofocus />
          <Field label="Confirm new password" name="password_confirmation" type="password" autocomplete="new-password" minLength={8} value={confirm()} onInput={setConfirm} />
          <FormError error={error()} />
          <button class="btn primary wide" type="submit">
            Change password
          </button>
        </form>
      </Show>
    </AuthFrame>
  );
}
