/**
 * Settings → Team: the members of the account (who is online, who is disabled
 * or archived), and for admins the team management of issue #18: change a
 * member's role, disable / enable, archive and remove, each behind a
 * confirmation dialog; the destructive ones (disable, archive, remove) also say
 * how many open conversations the member holds and where they go (a teammate,
 * unassigned, or kept). The server refuses the last active admin on every path
 * (demoting or removing yourself included); the refusal is shown in the dialog
 * with the rule in words. Then the pending invitations with two ways to invite: email the
 * invitation (`POST /api/user_invitation_emails`; the mail carries the link) or
 * create a link to pass on yourself (`POST /api/user_invitations`, the token is
 * shown once; with an email the server mails it too).
 */
import { For, Match, Show, Switch, createResource, createSignal, createUniqueId, onCleanup, onMount, type JSX } from 'solid-js';
import { Section, Status, load, useSaver } from '../../components/settings-kit';
import { ApiError, describeError } from '../../lib/api';
import { LAST_ADMIN_RULE, handoverTargets, isLastActiveAdmin, memberState, teamApi, type Handover, type TeamApi } from '../../lib/api-team';
import { agentName } from '../../lib/lists';
import { useAgents } from '../../stores/agents';
import { useSession } from '../../stores/session';
import type { Invitation, User } from '../../types';

type Destructive = 'disable' | 'archive' | 'remove';
/** Every member action: each is confirmed in a dialog; the destructive ones also ask where open conversations go. */
type Action = Destructive | 'make-admin' | 'make-agent' | 'enable';

const isDestructive = (action: Action): action is Destructive => action === 'disable' || action === 'archive' || action === 'remove';

/** The action's verb with the member's name: the dialog's title (with "?") and its confirm button. */
function actionLabel(action: Action, name: string): string {
  switch (action) {
    case 'make-admin':
      return `Make ${name} an admin`;
    case 'make-agent':
      return `Make ${name} an agent`;
    case 'enable':
      return `Enable ${name}`;
    case 'disable':
      return `Disable ${name}`;
    case 'archive':
      return `Archive ${name}`;
    case 'remove':
      return `Remove ${name}`;
  }
}

const DONE: Record<Destructive, string> = { disable: 'disabled', archive: 'archived', remove: 'removed' };
const CONSEQUENCE: Record<Action, string> = {
  'make-admin': 'Admins manage the team, the settings, the integrations and the API keys, and read the audit log.',
  'make-agent': 'They keep their conversations but can no longer manage the team, the settings or the integrations.',
  enable: 'They can sign in again at once; their API keys work again.',
  disable: 'They are signed out at once and cannot sign in until an admin enables them again.',
  archive: 'They are signed out and hidden from the team; an archive is not undone from here.',
  remove: 'Their user is deleted for good: sessions, API keys, profile and settings go with it.',
};

/** An error as the team screen words it: a refusal of the last-admin rule gets the rule in words. */
function refusal(err: unknown): string {
  const text = describeError(err).replace(/^role: /, '');
  return err instanceof ApiError && err.status === 422 && /last admin/i.test(text) ? `${text} ${LAST_ADMIN_RULE}` : text;
}

export function TeamSection(): JSX.Element {
  const [session, { api }] = useSession();
  const team = teamApi(api);
  const [, agents] = useAgents();
  const [members, { refetch: reloadMembers }] = createResource(() => load(() => team.listMembers()));
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [invites, { refetch }] = createResource(isAdmin, () => load(() => api.listInvitations()));
  const [email, setEmail] = createSignal('');
  const [link, setLink] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [message, failed, save] = useSaver();
  const [teamMessage, setTeamMessage] = createSignal<{ text: string; error: boolean } | null>(null);
  const [working, setWorking] = createSignal<number | null>(null);
  const [confirming, setConfirming] = createSignal<{ action: Action; member: User; opener: HTMLElement } | null>(null);
  // <Section> renders its children once with the first value: the list follows the resource itself, so a reload shows changes.
  const list = (): User[] => {
    const d = members();
    return d?.ok ? d.value : [];
  };
  const pending = (): Invitation[] => {
    const d = invites();
    return d?.ok ? d.value.filter((i) => !i.accepted_at) : [];
  };

  const closeDialog = (): void => {
    const c = confirming();
    setConfirming(null);
    // The row re-renders with a reload: then the member's first button, or the list when the member is gone.
    if (c?.opener.isConnected) c.opener.focus();
    else
      (
        document.querySelector<HTMLElement>(`[data-testid="member-${c?.member.id}"] button`) ??
        document.querySelector<HTMLElement>('[data-testid="team-members"]')
      )?.focus();
  };

  const sendEmail = async (): Promise<void> => {
    const to = email().trim();
    setBusy(true);
    const ok = await save(() => api.sendInvitationEmail(to), `Invitation sent to ${to}. The link in it is valid for a few days.`);
    setBusy(false);
    if (ok) {
      setLink(null);
      setEmail('');
      void refetch();
    }
  };
  const createLink = async (): Promise<void> => {
    const to = email().trim();
    setBusy(true);
    await save(async () => {
      const inv = await api.createInvitation(to || undefined);
      setLink(inv.token ? `${location.origin}/register/${inv.token}${to ? `?email=${encodeURIComponent(to)}` : ''}` : null);
      setEmail('');
      void refetch();
    }, 'Invitation created.');
    setBusy(false);
  };
  return (
    <>
      <Section title="Team" data={members} what="The team list" onRetry={() => void reloadMembers()}>
        {() => (
          <>
            <ul class="rows" data-testid="team-members" aria-label="Team members" tabindex="-1">
              <For each={list()} fallback={<li class="muted small">Nobody else is on the team yet. Invite a teammate below.</li>}>
                {(u) => {
                  const state = () => memberState(u);
                  const self = () => u.id === session.me?.id;
                  const name = () => agentName(u);
                  const open = (action: Action) => (e: MouseEvent) =>
                    setConfirming({ action, member: u, opener: e.currentTarget as HTMLElement });
                  return (
                    <li data-testid={`member-${u.id}`} style={{ 'flex-wrap': 'wrap' }}>
                      <span style={{ 'min-width': '0', 'overflow-wrap': 'anywhere' }}>
                        <span>{name()}</span> <span class="muted small">{u.email}</span>
                      </span>
                      <span class="tag" data-testid="member-role">
                        {u.role === 'admin' ? 'admin' : 'agent'}
                      </span>
                      <Show when={state() !== 'active'}>
                        <span class="tag tag-priority" data-testid="member-state">
                          {state()}
                        </span>
                      </Show>
                      <Show when={agents.onlineUserIds().includes(u.id)}>
                        <span class="tag tag-online">online</span>
                      </Show>
                      <Show when={self()}>
                        <span class="muted small">(you)</span>
                      </Show>
                      <Show when={isAdmin() && isLastActiveAdmin(list(), u)}>
                        <span class="muted small" title={LAST_ADMIN_RULE}>
                          last admin
                        </span>
                      </Show>
                      <Show when={isAdmin()}>
                        <div
                          role="group"
                          aria-label={`Manage ${name()}`}
                          style={{ display: 'flex', 'flex-wrap': 'wrap', gap: '6px', 'margin-left': 'auto' }}
                        >
                          <Show when={state() === 'active'}>
                            <button
                              class="btn small"
                              type="button"
                              style={{ 'margin-left': '0' }}
                              disabled={working() === u.id}
                              aria-label={actionLabel(u.role === 'admin' ? 'make-agent' : 'make-admin', name())}
                              onClick={open(u.role === 'admin' ? 'make-agent' : 'make-admin')}
                            >
                              {u.role === 'admin' ? 'Make agent' : 'Make admin'}
                            </button>
                          </Show>
                          <Show when={!self()}>
                            <Switch>
                              <Match when={state() === 'active'}>
                                <button
                                  class="btn small"
                                  type="button"
                                  style={{ 'margin-left': '0' }}
                                  disabled={working() === u.id}
                                  aria-label={`Disable ${name()}`}
                                  onClick={open('disable')}
                                >
                                  Disable
                                </button>
                                <button
                                  class="btn small"
                                  type="button"
                                  style={{ 'margin-left': '0' }}
                                  disabled={working() === u.id}
                                  aria-label={`Archive ${name()}`}
                                  onClick={open('archive')}
                                >
                                  Archive
                                </button>
                              </Match>
                              <Match when={state() === 'disabled'}>
                                <button
                                  class="btn small"
                                  type="button"
                                  style={{ 'margin-left': '0' }}
                                  disabled={working() === u.id}
                                  aria-label={`Enable ${name()}`}
                                  onClick={open('enable')}
                                >
                                  Enable
                                </button>
                              </Match>
                            </Switch>
                          </Show>
                          {/* Yourself too: the server refuses (the last admin, or "delete your user from your profile") and the dialog says why. */}
                          <button
                            class="btn small danger"
                            type="button"
                            style={{ 'margin-left': '0' }}
                            disabled={working() === u.id}
                            aria-label={`Remove ${name()}`}
                            onClick={open('remove')}
                          >
                            Remove
                          </button>
                        </div>
                      </Show>
                    </li>
                  );
                }}
              </For>
            </ul>
            <Show when={!isAdmin()}>
              <p class="small muted">Only admins can change roles, disable, archive or remove teammates.</p>
            </Show>
            <p
              class={teamMessage()?.error ? 'form-error' : 'form-ok'}
              role={teamMessage()?.error ? 'alert' : 'status'}
              aria-live="polite"
              data-testid="team-status"
            >
              {teamMessage()?.text ?? ''}
            </p>
          </>
        )}
      </Section>
      <Show when={confirming()}>
        {(c) => (
          <ConfirmDialog
            action={c().action}
            member={c().member}
            targets={handoverTargets(list(), c().member)}
            team={team}
            onCancel={closeDialog}
            onConfirm={async (handover) => {
              const { action, member } = c();
              const name = agentName(member);
              const where =
                handover === 'keep'
                  ? 'They keep their open conversations.'
                  : handover === null
                    ? 'Their open conversations are unassigned.'
                    : `Their open conversations went to ${agentName(list().find((m) => m.id === handover))}.`;
              const run = (): Promise<unknown> => {
                switch (action) {
                  case 'make-admin':
                    return team.setRole(member.id, 'admin');
                  case 'make-agent':
                    return team.setRole(member.id, 'user');
                  case 'enable':
                    return team.enable(member.id);
                  case 'remove':
                    return team.remove(member.id, handover === 'keep' ? null : handover);
                  case 'disable':
                    return team.disable(member.id, handover);
                  case 'archive':
                    return team.archive(member.id, handover);
                }
              };
              setWorking(member.id);
              setTeamMessage(null);
              try {
                await run();
              } catch (err) {
                return refusal(err);
              } finally {
                setWorking(null);
              }
              const done =
                action === 'make-admin'
                  ? `${name} is now an admin.`
                  : action === 'make-agent'
                    ? `${name} is now an agent.`
                    : action === 'enable'
                      ? `${name} is enabled again.`
                      : `${name} was ${DONE[action]}. ${where}`;
              setTeamMessage({ text: done, error: false });
              await reloadMembers();
              closeDialog();
              return null;
            }}
          />
        )}
      </Show>
      <Show when={isAdmin()} fallback={<p class="small muted">Only admins can invite teammates.</p>}>
        <Section title="Invitations" data={invites} what="Invitations">
          {() => (
            <>
              <ul class="rows" data-testid="invitations">
                <For each={pending()} fallback={<li class="muted small">No pending invitations.</li>}>
                  {(i) => (
                    <li>
                      {i.email ?? 'Invitation'}{' '}
                      <Show when={Date.parse(i.expires_at) > Date.now()} fallback={<span class="tag tag-priority">expired</span>}>
                        <span class="muted small">expires {new Date(i.expires_at).toLocaleDateString()}</span>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
              <form
                class="inline-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void sendEmail();
                }}
              >
                <label for="invite-email">Teammate’s email</label>
                <input
                  id="invite-email"
                  type="email"
                  value={email()}
                  onInput={(e) => setEmail(e.currentTarget.value)}
                  required
                  autocomplete="off"
                />
                <button class="btn small primary" type="submit" disabled={busy()} aria-busy={busy()}>
                  Send invitation email
                </button>
                <button
                  class="btn small"
                  type="button"
                  disabled={busy()}
                  onClick={() => void createLink()}
                  title="Create an invitation link to pass on yourself (the email is optional; when given, the invitation is mailed too)"
                >
                  Create link
                </button>
              </form>
              <Status message={message()} error={failed()} testId="invite-status" />
              <Show when={link()}>
                <p class="small">
                  Send this link to your teammate: <code class="copyable">{link()}</code>
                </p>
              </Show>
            </>
          )}
        </Section>
      </Show>
    </>
  );
}

/**
 * The confirmation of a member action: a modal dialog (focus kept inside, Escape
 * or Cancel closes it and focus goes back to the button that opened it) that says
 * what the action does; for a destructive one it also loads how many open
 * conversations the member holds and asks where they go. `onConfirm` answers an
 * error to show (the server's refusal, in words), or null when done.
 */
function ConfirmDialog(props: {
  action: Action;
  member: User;
  targets: User[];
  team: TeamApi;
  onCancel: () => void;
  onConfirm: (handover: Handover) => Promise<string | null>;
}): JSX.Element {
  const id = createUniqueId();
  const name = agentName(props.member);
  const destructive = isDestructive(props.action);
  // Only a destructive action asks about open conversations (a false source never fetches).
  const [workload, { refetch }] = createResource(
    () => destructive,
    () => load(() => props.team.openConversations(props.member.id)),
  );
  const [choice, setChoice] = createSignal<'reassign' | 'unassign' | 'keep'>(props.targets.length ? 'reassign' : 'unassign');
  const [target, setTarget] = createSignal<number | null>(props.targets[0]?.id ?? null);
  const [error, setError] = createSignal<string | null>(null);
  const [sending, setSending] = createSignal(false);
  let box: HTMLDivElement | undefined;
  let confirmButton: HTMLButtonElement | undefined;
  const count = (): number | undefined => {
    const w = workload();
    return w?.ok ? w.value.open_conversations : undefined;
  };
  const focusables = (): HTMLElement[] =>
    box
      ? [...box.querySelectorAll<HTMLElement>('button, select, input, [href], [tabindex]:not([tabindex="-1"])')].filter(
          (el) => !(el as HTMLButtonElement).disabled,
        )
      : [];
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      props.onCancel();
    } else if (e.key === 'Tab') {
      const all = focusables();
      const first = all[0];
      const last = all[all.length - 1];
      if (!first || !last) return;
      if (e.shiftKey && (document.activeElement === first || !box?.contains(document.activeElement))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (document.activeElement === last || !box?.contains(document.activeElement))) {
        e.preventDefault();
        first.focus();
      }
    }
  };
  // Focus that escapes (a click on the backdrop, a screen reader's jump) comes back into the dialog.
  const keepFocus = (e: FocusEvent): void => {
    if (box && e.target instanceof Node && !box.contains(e.target)) focusables()[0]?.focus();
  };
  onMount(() => {
    document.addEventListener('focusin', keepFocus);
    queueMicrotask(() => box?.querySelector<HTMLElement>('[data-autofocus]')?.focus());
  });
  onCleanup(() => document.removeEventListener('focusin', keepFocus));

  const confirm = async (): Promise<void> => {
    setError(null);
    const handover: Handover =
      !destructive || count() === 0 ? null : choice() === 'keep' ? 'keep' : choice() === 'unassign' ? null : target();
    setSending(true);
    const failure = await props.onConfirm(handover);
    setSending(false);
    if (failure) {
      setError(failure);
      // The button lost focus while disabled: bring it back so Escape and Tab still work in the dialog.
      confirmButton?.focus();
    }
  };

  return (
    <div
      onKeyDown={onKey}
      style={{
        position: 'fixed',
        inset: '0',
        'z-index': '50',
        background: 'rgba(0, 0, 0, 0.45)',
        display: 'flex',
        'align-items': 'center',
        'justify-content': 'center',
        padding: '12px',
      }}
    >
      <div
        ref={box}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-what`}
        data-testid="team-dialog"
        style={{
          background: 'var(--panel)',
          'border-radius': 'var(--radius)',
          padding: '16px',
          width: '100%',
          'max-width': '440px',
          'max-height': '100%',
          overflow: 'auto',
          'box-shadow': '0 8px 30px rgba(0, 0, 0, 0.25)',
        }}
      >
        <h2 id={`${id}-title`} style={{ margin: '0 0 8px', 'font-size': '16px' }}>
          {actionLabel(props.action, name)}?
        </h2>
        <p id={`${id}-what`} class="small" style={{ margin: '0 0 8px' }}>
          {CONSEQUENCE[props.action]}
        </p>
        <Switch>
          <Match when={!destructive}>{null}</Match>
          <Match when={workload.loading && !workload()}>
            <p role="status" class="small muted">
              <span class="spinner" aria-hidden="true" /> Counting {name}’s open conversations…
            </p>
          </Match>
          <Match when={workload() && !workload()!.ok}>
            <p role="alert" class="form-error">
              Could not count {name}’s open conversations: {(workload() as { error: string }).error}{' '}
              <button class="btn small" type="button" onClick={() => void refetch()}>
                Try again
              </button>
            </p>
          </Match>
          <Match when={count() === 0}>
            <p class="small" data-testid="open-count">
              {name} holds no open conversations.
            </p>
          </Match>
          <Match when={count() !== undefined}>
            <p class="small" data-testid="open-count">
              {name} holds {count()} open {count() === 1 ? 'conversation' : 'conversations'}.
            </p>
            <fieldset style={{ border: '0', padding: '0', margin: '0 0 8px' }}>
              <legend class="small">What becomes of them?</legend>
              <div class="field inline">
                <input
                  id={`${id}-reassign`}
                  type="radio"
                  name={`${id}-handover`}
                  checked={choice() === 'reassign'}
                  disabled={!props.targets.length}
                  onChange={() => setChoice('reassign')}
                />
                <label for={`${id}-reassign`}>Reassign to</label>
                <label for={`${id}-target`} class="visually-hidden">
                  Teammate to reassign to
                </label>
                <select
                  id={`${id}-target`}
                  disabled={!props.targets.length}
                  value={target() ?? ''}
                  onChange={(e) => {
                    setTarget(Number(e.currentTarget.value));
                    setChoice('reassign');
                  }}
                  style={{ 'max-width': '100%' }}
                >
                  <For each={props.targets}>{(m) => <option value={m.id}>{agentName(m)}</option>}</For>
                </select>
              </div>
              <Show when={!props.targets.length}>
                <p class="small muted">No other active teammate to reassign to.</p>
              </Show>
              <div class="field inline">
                <input
                  id={`${id}-unassign`}
                  type="radio"
                  name={`${id}-handover`}
                  checked={choice() === 'unassign'}
                  onChange={() => setChoice('unassign')}
                />
                <label for={`${id}-unassign`}>Leave them unassigned</label>
              </div>
              <Show when={props.action !== 'remove'}>
                <div class="field inline">
                  <input
                    id={`${id}-keep`}
                    type="radio"
                    name={`${id}-handover`}
                    checked={choice() === 'keep'}
                    onChange={() => setChoice('keep')}
                  />
                  <label for={`${id}-keep`}>Keep them assigned to {name}</label>
                </div>
              </Show>
            </fieldset>
          </Match>
        </Switch>
        <p class="form-error" role="alert" data-testid="team-dialog-error">
          {error() ?? ''}
        </p>
        <div style={{ display: 'flex', gap: '8px', 'flex-wrap': 'wrap', 'justify-content': 'flex-end' }}>
          <button class="btn small" type="button" data-autofocus onClick={() => props.onCancel()}>
            Cancel
          </button>
          <button
            ref={confirmButton}
            class={destructive ? 'btn small danger' : 'btn small primary'}
            type="button"
            disabled={
              sending() || (destructive && (count() === undefined || (count()! > 0 && choice() === 'reassign' && target() === null)))
            }
            aria-busy={sending()}
            onClick={() => void confirm()}
          >
            {actionLabel(props.action, name)}
          </button>
        </div>
      </div>
    </div>
  );
}
