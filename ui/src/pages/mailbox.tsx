/**
 * `/dev/mailbox` (admins, development only; loaded on demand): the mails the
 * server wrote to its local mailbox instead of sending them over SMTP, newest
 * first, and one mail as it was sent: its HTML part in a sandboxed iframe
 * (`sandbox=""` and `srcdoc`: no script, no same-origin access, never part of
 * the console's DOM), its text part and its headers. When mail goes out over
 * SMTP the API answers 404 and the page says so.
 */
import { A, useParams } from '@solidjs/router';
import { For, Match, Show, Switch, createResource, type JSX } from 'solid-js';
import { ApiError, describeError } from '../lib/api';
import { useSession } from '../stores/session';
import type { Mail, MailSummary } from '../types';

type Loaded<T> = { ok: true; value: T } | { ok: false; status: number; error: string };

async function load<T>(fn: () => Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, status: err instanceof ApiError ? err.status : 0, error: describeError(err) };
  }
}

const KIND_LABELS: Record<string, string> = {
  password_reset: 'Password reset',
  invitation: 'Invitation',
  welcome: 'Welcome',
  email_verification: 'Email verification',
  role_changed: 'Role changed',
  user_removed: 'User removed',
  unseen_reply: 'Unseen reply',
  agent_reminder: 'Agent reminder',
  new_message_alert: 'New message alert',
};
const kindLabel = (kind: string): string => KIND_LABELS[kind] ?? kind.replace(/_/g, ' ');
const when = (iso: string): string => new Date(iso).toLocaleString();

function Loading(props: { what: string }): JSX.Element {
  return (
    <div class="state" role="status" data-testid="mailbox-loading">
      <span class="spinner" aria-hidden="true" /> Loading {props.what}…
    </div>
  );
}

function MailView(props: { mail: Mail }): JSX.Element {
  const headers = (): [string, string][] => Object.entries(props.mail.headers ?? {});
  return (
    <article data-testid="mail" data-mail-id={props.mail.id} data-kind={props.mail.kind} aria-labelledby="mail-subject">
      <h1 id="mail-subject">{props.mail.subject}</h1>
      <dl data-testid="mail-summary">
        <dt>From</dt>
        <dd>{props.mail.from}</dd>
        <dt>To</dt>
        <dd>{props.mail.to.join(', ')}</dd>
        <dt>Kind</dt>
        <dd>{kindLabel(props.mail.kind)}</dd>
        <dt>Sent</dt>
        <dd>{when(props.mail.created_at)}</dd>
      </dl>
      <h2 class="nav-heading">HTML part</h2>
      <Show
        when={props.mail.html}
        fallback={
          <p class="muted small" data-testid="mail-no-html">
            This mail has no HTML part.
          </p>
        }
      >
        {(html) => (
          <iframe
            title={`HTML part of “${props.mail.subject}”`}
            sandbox=""
            srcdoc={html()}
            referrerPolicy="no-referrer"
            data-testid="mail-html"
          />
        )}
      </Show>
      <h2 class="nav-heading">Text part</h2>
      <pre data-testid="mail-text">{props.mail.text}</pre>
      <h2 class="nav-heading">Headers</h2>
      <dl data-testid="mail-headers">
        <For each={headers()}>
          {([name, value]) => (
            <>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </>
          )}
        </For>
      </dl>
    </article>
  );
}

export default function MailboxPage(): JSX.Element {
  const [, { api }] = useSession();
  const params = useParams<{ id?: string }>();
  const [list, { refetch }] = createResource(() => load(() => api.listMailbox()));
  const [mail, { refetch: refetchMail }] = createResource(
    () => params.id,
    (id) => load(() => api.getMail(id)),
  );
  const failed = (): Extract<Loaded<MailSummary[]>, { ok: false }> | undefined => {
    const d = list();
    return d && !d.ok ? d : undefined;
  };
  const mails = (): MailSummary[] | undefined => {
    const d = list();
    return d?.ok ? d.value : undefined;
  };
  return (
    <Switch>
      <Match when={failed()?.status === 404}>
        <div class="state unavailable" role="status" data-testid="mailbox-off">
          The local mailbox is off: mail goes out over SMTP.
        </div>
      </Match>
      <Match when={failed()?.status === 403}>
        <div class="state unavailable" role="status" data-testid="mailbox-forbidden">
          Only admins can read the local mailbox.
        </div>
      </Match>
      <Match when={true}>
        <div class="mailbox">
          <section class="mailbox-list" aria-labelledby="mailbox-title">
            <h1 id="mailbox-title">
              Local mailbox{' '}
              <button type="button" class="btn small" onClick={() => void refetch()} disabled={list.loading}>
                Refresh
              </button>
            </h1>
            <Switch>
              <Match when={list.loading && !list()}>
                <Loading what="the mailbox" />
              </Match>
              <Match when={failed()}>
                {(f) => (
                  <div class="state error" role="alert" data-testid="mailbox-error">
                    Could not load the mailbox: {f().error}
                    <button type="button" class="btn small" onClick={() => void refetch()}>
                      Try again
                    </button>
                  </div>
                )}
              </Match>
              <Match when={mails()?.length === 0}>
                <p class="state" role="status" data-testid="mailbox-empty">
                  No mail yet. Mail the server sends to your team (password resets, invitations, verifications, alerts) shows up here.
                </p>
              </Match>
              <Match when={mails()}>
                {(items) => (
                  <ul data-testid="mailbox-list">
                    <For each={items()}>
                      {(m) => (
                        <li data-mail-id={m.id} data-kind={m.kind}>
                          <A
                            href={`/dev/mailbox/${encodeURIComponent(m.id)}`}
                            classList={{ active: params.id === m.id }}
                            aria-current={params.id === m.id ? 'page' : undefined}
                          >
                            <span class="subject">{m.subject}</span>
                            <span class="small muted">
                              to {m.to.join(', ')} · <span class="tag">{kindLabel(m.kind)}</span> ·{' '}
                              <time datetime={m.created_at}>{when(m.created_at)}</time>
                            </span>
                          </A>
                        </li>
                      )}
                    </For>
                  </ul>
                )}
              </Match>
            </Switch>
          </section>
          <section class="mailbox-mail" aria-live="polite">
            <Switch fallback={<p class="state muted">Choose a mail to read it as it was sent.</p>}>
              <Match when={params.id && mail.loading}>
                <Loading what="the mail" />
              </Match>
              <Match
                when={(() => {
                  const d = mail();
                  return d && !d.ok ? d : undefined;
                })()}
              >
                {(f) => (
                  <div class="state error" role="alert" data-testid="mail-error">
                    {f().status === 404 ? 'This mail is not in the mailbox (any more).' : `Could not load the mail: ${f().error}`}
                    <Show when={f().status !== 404}>
                      <button type="button" class="btn small" onClick={() => void refetchMail()}>
                        Try again
                      </button>
                    </Show>
                  </div>
                )}
              </Match>
              <Match
                when={(() => {
                  const d = mail();
                  return params.id && d?.ok ? d.value : undefined;
                })()}
              >
                {(m) => <MailView mail={m()} />}
              </Match>
            </Switch>
          </section>
        </div>
      </Match>
    </Switch>
  );
}
