/**
 * Settings → Team: the agents of the account (who is online), and for admins
 * the pending invitations with two ways to invite: email the invitation
 * (`POST /api/user_invitation_emails`; the mail carries the link) or create a
 * link to pass on yourself (`POST /api/user_invitations`, the token is shown
 * once; with an email the server mails it too).
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { Section, Status, load, useSaver } from '../../components/settings-kit';
import { agentName } from '../../lib/lists';
import { useAgents } from '../../stores/agents';
import { useSession } from '../../stores/session';
import type { Invitation } from '../../types';

export function TeamSection(): JSX.Element {
  const [session, { api }] = useSession();
  const [, agents] = useAgents();
  const [users] = createResource(() => load(() => api.listUsers()));
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [invites, { refetch }] = createResource(isAdmin, () => load(() => api.listInvitations()));
  const [email, setEmail] = createSignal('');
  const [link, setLink] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [message, failed, save] = useSaver();
  // <Section> renders its children once with the first value: the list follows the resource itself, so a refetch shows new invitations.
  const pending = (): Invitation[] => {
    const d = invites();
    return d?.ok ? d.value.filter((i) => !i.accepted_at) : [];
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
      <Section title="Team" data={users} what="The team list">
        {(list) => (
          <ul class="rows">
            <For each={list}>
              {(u) => (
                <li>
                  <span>{agentName(u)}</span> <span class="muted small">{u.email}</span> <span class="tag">{u.role}</span>
                  <Show when={agents.onlineUserIds().includes(u.id)}>
                    <span class="tag tag-online">online</span>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        )}
      </Section>
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
