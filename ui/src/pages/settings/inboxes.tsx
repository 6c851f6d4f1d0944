/**
 * Settings → Inboxes, "Assignment and AI" (issue #18): per inbox, automatic
 * assignment on/off, the most open conversations an agent may hold, who takes
 * part (every agent, or only the inbox's members, chosen here), and whether the
 * AI assistant answers in it (or follows the account). Every agent sees the
 * settings; only admins change them (the API refuses others with 403), so
 * agents get a read-only form that says why.
 */
import { For, Match, Show, Switch, createResource, createSignal, type JSX } from 'solid-js';
import { CheckRow, Section, Status, load, useSaver } from '../../components/settings-kit';
import { settingsApi, type AutoAssignRotation, type InboxSettings } from '../../lib/api-settings';
import { useSession } from '../../stores/session';
import type { Inbox, User } from '../../types';
import { createInboxChoice } from './inbox-choice';

type AiChoice = 'account' | 'on' | 'off';
const aiChoiceOf = (v: boolean | null): AiChoice => (v === null ? 'account' : v ? 'on' : 'off');
const aiValueOf = (c: AiChoice): boolean | null => (c === 'account' ? null : c === 'on');
const nameOf = (u: User): string => u.full_name || u.display_name || u.email;

function SettingsForm(props: { inboxId: string; initial: InboxSettings; users: User[]; isAdmin: boolean }): JSX.Element {
  const [, { api }] = useSession();
  const settings = settingsApi(api);
  const [message, failed, save] = useSaver();
  const [autoAssign, setAutoAssign] = createSignal(props.initial.auto_assign);
  const [cap, setCap] = createSignal(String(props.initial.auto_assign_max_open));
  const [rotation, setRotation] = createSignal<AutoAssignRotation>(props.initial.auto_assign_rotation);
  const [members, setMembers] = createSignal<number[]>(props.initial.member_ids);
  const [ai, setAi] = createSignal<AiChoice>(aiChoiceOf(props.initial.ai_enabled));
  const [accountAi, setAccountAi] = createSignal(props.initial.account_ai_enabled);
  const locked = (): boolean => !props.isAdmin;
  const id = (s: string): string => `inbox-${s}`;
  const toggleMember = (userId: number, checked: boolean): void => {
    setMembers(checked ? [...new Set([...members(), userId])].sort((a, b) => a - b) : members().filter((m) => m !== userId));
  };
  const membersOnlyEmpty = (): boolean => rotation() === 'members' && members().length === 0;
  return (
    <form
      class="inbox-settings"
      data-testid="inbox-settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (locked()) return;
        const max = Number(cap());
        void save(async () => {
          const saved = await settings.saveInboxSettings(props.inboxId, {
            auto_assign: autoAssign(),
            auto_assign_max_open: Number.isFinite(max) && cap().trim() !== '' ? max : -1,
            auto_assign_rotation: rotation(),
            member_ids: members(),
            ai_enabled: aiValueOf(ai()),
          });
          setAccountAi(saved.account_ai_enabled);
          setMembers(saved.member_ids);
        }, 'Inbox settings saved.');
      }}
    >
      <fieldset disabled={locked()}>
        <legend>Automatic assignment</legend>
        <CheckRow id={id('auto-assign')} checked={autoAssign()} onChange={setAutoAssign} describedBy={id('auto-assign-help')}>
          Assign new conversations automatically
        </CheckRow>
        <p class="small muted" id={id('auto-assign-help')}>
          Conversations go round-robin to the agents below who are online and under their limit; when nobody is, they wait.
        </p>
        <div class="field">
          <label for={id('cap')}>Most open conversations per agent</label>
          <input
            id={id('cap')}
            type="number"
            min="0"
            step="1"
            inputmode="numeric"
            value={cap()}
            onInput={(e) => setCap(e.currentTarget.value)}
            aria-describedby={id('cap-help')}
          />
          <span class="small muted" id={id('cap-help')}>
            0 means no limit.
          </span>
        </div>
        <fieldset class="choice">
          <legend>Who takes part</legend>
          <div class="field inline">
            <input
              id={id('rotation-all')}
              type="radio"
              name={id('rotation')}
              checked={rotation() === 'all_agents'}
              onChange={() => setRotation('all_agents')}
            />
            <label for={id('rotation-all')}>Every agent of the account</label>
          </div>
          <div class="field inline">
            <input
              id={id('rotation-members')}
              type="radio"
              name={id('rotation')}
              checked={rotation() === 'members'}
              onChange={() => setRotation('members')}
            />
            <label for={id('rotation-members')}>Only the members of this inbox</label>
          </div>
        </fieldset>
        <fieldset class="choice" aria-describedby={id('members-help')}>
          <legend>Members of this inbox</legend>
          <p class="small muted" id={id('members-help')}>
            Members take part in automatic assignment when “Only the members of this inbox” is chosen.
          </p>
          <Show when={props.users.length > 0} fallback={<p class="small muted">No agents in the account yet.</p>}>
            <For each={props.users}>
              {(u) => (
                <CheckRow id={id(`member-${u.id}`)} checked={members().includes(u.id)} onChange={(c) => toggleMember(u.id, c)}>
                  {nameOf(u)}
                  <Show when={u.disabled_at}>
                    <span class="muted small"> (disabled: never assigned)</span>
                  </Show>
                </CheckRow>
              )}
            </For>
          </Show>
          <Show when={membersOnlyEmpty()}>
            <p class="form-error small" role="alert">
              Choose at least one member, or let every agent take part.
            </p>
          </Show>
        </fieldset>
      </fieldset>
      <fieldset disabled={locked()}>
        <legend>AI assistant</legend>
        <div class="field">
          <label for={id('ai')}>AI assistant in this inbox</label>
          <select id={id('ai')} value={ai()} onChange={(e) => setAi(e.currentTarget.value as AiChoice)}>
            <option value="account">Follow the account (now {accountAi() ? 'on' : 'off'})</option>
            <option value="on">On: answers customers until an agent takes over</option>
            <option value="off">Off</option>
          </select>
        </div>
      </fieldset>
      <Show
        when={props.isAdmin}
        fallback={
          <p class="state unavailable" role="status" data-testid="no-permission">
            Only admins can change these settings.
          </p>
        }
      >
        <button class="btn" type="submit" disabled={membersOnlyEmpty()}>
          Save inbox settings
        </button>
      </Show>
      <Status message={message()} error={failed()} testId="inbox-settings-status" />
    </form>
  );
}

/** The inbox picker and the chosen inbox's form. */
function InboxPicker(props: { inboxes: Inbox[]; users: User[]; isAdmin: boolean }): JSX.Element {
  const [, { api }] = useSession();
  const settings = settingsApi(api);
  const [inbox, setInbox] = createInboxChoice(() => props.inboxes);
  const [data, { refetch }] = createResource(inbox, (id) => load(() => settings.inboxSettings(id)));
  const loaded = (): InboxSettings | undefined => {
    const d = data();
    return d?.ok && d.value.inbox_id === inbox() ? d.value : undefined;
  };
  const failure = (): string | undefined => {
    const d = data();
    return d && !d.ok ? d.error : undefined;
  };
  return (
    <>
      <div class="field">
        <label for="inbox-settings-inbox">Inbox</label>
        <select id="inbox-settings-inbox" value={inbox()} onChange={(e) => setInbox(e.currentTarget.value)}>
          <For each={props.inboxes}>{(i) => <option value={i.id}>{i.name + (i.is_primary ? ' (primary)' : '')}</option>}</For>
        </select>
      </div>
      <Switch>
        <Match when={data.loading}>
          <div class="state" role="status">
            <span class="spinner" aria-hidden="true" /> Loading…
          </div>
        </Match>
        <Match when={failure()}>
          {(error) => (
            <div class="state error" role="status" data-testid="not-available">
              Could not load the settings of this inbox: {error()}{' '}
              <button class="btn small" type="button" onClick={() => void refetch()}>
                Try again
              </button>
            </div>
          )}
        </Match>
        <Match when={loaded()} keyed>
          {(initial) => <SettingsForm inboxId={initial.inbox_id} initial={initial} users={props.users} isAdmin={props.isAdmin} />}
        </Match>
      </Switch>
    </>
  );
}

export function InboxSettingsSection(): JSX.Element {
  const [session, { api }] = useSession();
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [data, { refetch }] = createResource(() =>
    load(async () => {
      const [inboxes, users] = await Promise.all([api.listInboxes(), api.listUsers()]);
      return { inboxes, users: users.filter((u) => u.archived_at === null) };
    }),
  );
  return (
    <Section title="Inbox settings" data={data} what="Inbox settings" onRetry={() => void refetch()}>
      {(value) => (
        <Show when={value.inboxes.length > 0} fallback={<p class="state">No inboxes yet: create one above.</p>}>
          <InboxPicker inboxes={value.inboxes} users={value.users} isAdmin={isAdmin()} />
        </Show>
      )}
    </Section>
  );
}
