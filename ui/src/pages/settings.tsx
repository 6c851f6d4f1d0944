/**
 * Settings (loaded on demand): account and working hours, notification
 * preferences (settings/notifications.tsx), AI on/off and the business
 * context, team and invitations, inboxes, widget with live preview and embed
 * snippet, saved replies, personal API keys and webhooks. A section whose route
 * the server lacks says so instead of failing. Shared section pieces live in
 * components/settings-kit.tsx.
 */
import { A, useParams } from '@solidjs/router';
import { For, Match, Show, Switch, createResource, createSignal, lazy, type JSX } from 'solid-js';
import { Section, Status, load, useSaver } from '../components/settings-kit';
import { ApiError } from '../lib/api';
import { useSession } from '../stores/session';
import { workingHoursOf } from '../lib/wire';
import type { Account, BusinessContextInput, WidgetSettingsInput, WorkingHours } from '../types';
import { AiTestPrompt } from './settings/ai-test';
import { NotificationsSection } from './settings/notifications';
import { ProfileSection } from './settings/profile';
import { GmailSection } from './settings/gmail';
import { WebhooksSection } from './settings/webhooks';
import { SlackSection } from './settings/slack';
import { SmsSection } from './settings/sms';
import { EmailForwardingSection } from './settings/email-forwarding';
import { TeamSection } from './settings/team';
import { TagsSection } from './settings/tags';
import { SavedRepliesSection } from './settings/saved-replies';
import { InboxSettingsSection } from './settings/inboxes';
import { SecuritySection } from './settings/security';
import { RemindersSection } from './settings/reminders';
import { CsatSection } from './settings/csat';
import { CopilotSection } from './settings/copilot';
import { SessionReplaySection } from './settings/session-replay';
import { extraPayload, LauncherPreview, WidgetExtraFields, widgetUrlProblems } from './settings/widget-extras';
const AuditLogSection = lazy(() => import('./settings/audit-log'));
const GithubSection = lazy(() => import('./settings/github'));
const CrmSection = lazy(() => import('./settings/crm'));
const MattermostSection = lazy(() => import('./settings/mattermost'));
const AutomationSection = lazy(() => import('./settings/automation'));
const SlaSection = lazy(() => import('./settings/sla'));
import { ApiKeysSection } from './settings/api-keys';

const SECTIONS = [
  ['account', 'Account & hours'],
  ['profile', 'Profile'],
  ['notifications', 'Notifications'],
  ['ai', 'AI assistant'],
  ['team', 'Team'],
  ['inboxes', 'Inboxes'],
  ['security', 'Security'],
  ['widget', 'Chat widget'],
  ['session-replay', 'Session replay'],
  ['saved-replies', 'Saved replies'],
  ['tags', 'Tags'],
  ['api-keys', 'API keys'],
  ['webhooks', 'Webhooks'],
  ['gmail', 'Gmail'],
  ['slack', 'Slack'],
  ['sms', 'SMS'],
  ['github', 'GitHub'],
  ['crm', 'CRM'],
  ['mattermost', 'Mattermost'],
  ['email-forwarding', 'Email forwarding'],
  ['csat', 'Satisfaction'],
  ['copilot', 'AI copilot'],
  ['automation', 'Automation'],
  ['sla', 'SLA'],
  ['audit-log', 'Audit log'],
] as const;

const DAYS = ['everyday', 'weekdays', 'weekends', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const toTime = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const fromTime = (s: string): number => {
  const [h, m] = s.split(':').map(Number);
  return Math.min(1440, (h ?? 0) * 60 + (m ?? 0));
};

function AiSwitch(props: { account: Account; isAdmin: boolean; onSaved: (a: Account) => void }): JSX.Element {
  const [, { api }] = useSession();
  const [message, failed, save] = useSaver();
  return (
    <Show
      when={props.account.ai_enabled !== undefined}
      fallback={
        <p class="state unavailable" data-testid="ai-unavailable">
          Turning the AI assistant on or off is not available on this server yet.
        </p>
      }
    >
      <div class="field inline">
        <input
          id="ai-enabled"
          type="checkbox"
          checked={props.account.ai_enabled === true}
          disabled={!props.isAdmin}
          onChange={(e) => {
            const on = e.currentTarget.checked;
            void save(
              async () => props.onSaved(await api.updateAccount(props.account.id, { ai_enabled: on })),
              on ? 'The AI assistant now answers new customer messages.' : 'The AI assistant is off.',
            );
          }}
        />
        <label for="ai-enabled">AI assistant answers customers until an agent takes over</label>
      </div>
      <Show when={!props.isAdmin}>
        <p class="small muted">Only admins can change this.</p>
      </Show>
      <Status message={message()} error={failed()} />
    </Show>
  );
}

function AccountSection(): JSX.Element {
  const [session, { api }] = useSession();
  const [data, { mutate }] = createResource(() => load(() => api.getAccount()));
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [message, failed, save] = useSaver();
  return (
    <Section title="Account & working hours" data={data} what="Account settings">
      {(account) => {
        const [name, setName] = createSignal(account.company_name);
        const [zone, setZone] = createSignal(account.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
        const saved = workingHoursOf(account);
        const [hours, setHours] = createSignal<WorkingHours[]>(
          saved.length ? saved : [{ day: 'weekdays', start_minute: 540, end_minute: 1020 }],
        );
        const setRow = (i: number, patch: Partial<WorkingHours>): void => {
          setHours(hours().map((h, j) => (j === i ? { ...h, ...patch } : h)));
        };
        return (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void save(async () =>
                mutate({
                  ok: true,
                  value: await api.updateAccount(account.id, { company_name: name(), time_zone: zone(), working_hours: hours() }),
                }),
              );
            }}
          >
            <div class="field">
              <label for="company">Company name</label>
              <input id="company" value={name()} onInput={(e) => setName(e.currentTarget.value)} disabled={!isAdmin()} />
            </div>
            <div class="field">
              <label for="tz">Time zone</label>
              <input
                id="tz"
                value={zone()}
                onInput={(e) => setZone(e.currentTarget.value)}
                disabled={!isAdmin()}
                placeholder="Europe/Paris"
              />
            </div>
            <fieldset>
              <legend>Working hours {account.is_outside_working_hours ? '(now: outside)' : '(now: open)'}</legend>
              <For each={hours()}>
                {(h, i) => (
                  <div class="hours-row">
                    <label class="visually-hidden" for={`day-${i()}`}>
                      Days
                    </label>
                    <select
                      id={`day-${i()}`}
                      value={h.day}
                      onChange={(e) => setRow(i(), { day: e.currentTarget.value })}
                      disabled={!isAdmin()}
                    >
                      <For each={DAYS}>{(d) => <option value={d}>{d}</option>}</For>
                    </select>
                    <label class="visually-hidden" for={`start-${i()}`}>
                      From
                    </label>
                    <input
                      id={`start-${i()}`}
                      type="time"
                      value={toTime(h.start_minute)}
                      onInput={(e) => setRow(i(), { start_minute: fromTime(e.currentTarget.value) })}
                      disabled={!isAdmin()}
                    />
                    <span aria-hidden="true">–</span>
                    <label class="visually-hidden" for={`end-${i()}`}>
                      To
                    </label>
                    <input
                      id={`end-${i()}`}
                      type="time"
                      value={toTime(h.end_minute)}
                      onInput={(e) => setRow(i(), { end_minute: fromTime(e.currentTarget.value) })}
                      disabled={!isAdmin()}
                    />
                    <button
                      type="button"
                      class="btn ghost small"
                      onClick={() => setHours(hours().filter((_, j) => j !== i()))}
                      disabled={!isAdmin()}
                      aria-label="Remove these hours"
                    >
                      ✕
                    </button>
                  </div>
                )}
              </For>
              <button
                type="button"
                class="btn small"
                onClick={() => setHours([...hours(), { day: 'saturday', start_minute: 600, end_minute: 960 }])}
                disabled={!isAdmin()}
              >
                Add hours
              </button>
            </fieldset>
            <Show when={!isAdmin()}>
              <p class="small muted">Only admins can change the account.</p>
            </Show>
            <Status message={message()} error={failed()} />
            <button class="btn primary" type="submit" disabled={!isAdmin()}>
              Save
            </button>
          </form>
        );
      }}
    </Section>
  );
}

function AiSection(): JSX.Element {
  const [session, { api }] = useSession();
  const [account, { mutate }] = createResource(() => load(() => api.getAccount()));
  const [context] = createResource(() =>
    load(() =>
      api.getBusinessContext().catch((err: unknown) => {
        // No context yet is a 404 with the original's bare body: start from an empty form.
        if (err instanceof ApiError && err.status === 404 && /not found/i.test(err.message) && err.message !== 'Not found')
          return { business_name: '' };
        throw err;
      }),
    ),
  );
  const [message, failed, save] = useSaver();
  return (
    <>
      <Section title="AI assistant" data={account} what="The AI switch">
        {(a) => <AiSwitch account={a} isAdmin={session.me?.role === 'admin'} onSaved={(next) => mutate({ ok: true, value: next })} />}
      </Section>
      <Section title="Business context" data={context} what="Business context">
        {(bc) => {
          const [form, setForm] = createSignal<BusinessContextInput>({ ...bc });
          const field = (key: keyof BusinessContextInput, label: string, multiline = false): JSX.Element => (
            <div class="field">
              <label for={`bc-${key}`}>{label}</label>
              <Show
                when={multiline}
                fallback={
                  <input
                    id={`bc-${key}`}
                    value={String(form()[key] ?? '')}
                    onInput={(e) => setForm({ ...form(), [key]: e.currentTarget.value })}
                  />
                }
              >
                <textarea
                  id={`bc-${key}`}
                  rows={4}
                  value={String(form()[key] ?? '')}
                  onInput={(e) => setForm({ ...form(), [key]: e.currentTarget.value })}
                />
              </Show>
            </div>
          );
          return (
            <>
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  const f = form();
                  void save(() =>
                    api.saveBusinessContext({
                      business_name: f.business_name,
                      business_description: f.business_description || null,
                      scheduling_link: f.scheduling_link || null,
                      additional_context: f.additional_context || null,
                    }),
                  );
                }}
              >
                <p class="small muted">What the AI assistant knows about your business when it answers.</p>
                {field('business_name', 'Business name')}
                {field('business_description', 'Description', true)}
                {field('scheduling_link', 'Scheduling link (https://…)')}
                {field('additional_context', 'Additional context', true)}
                <Status message={message()} error={failed()} />
                <Show
                  when={session.me?.role === 'admin'}
                  fallback={<p class="small muted">Only admins can change the business context.</p>}
                >
                  <button class="btn primary" type="submit">
                    Save
                  </button>
                </Show>
              </form>
              <AiTestPrompt draft={form} isAdmin={session.me?.role === 'admin'} />
            </>
          );
        }}
      </Section>
    </>
  );
}

function InboxesSection(): JSX.Element {
  const [, { api }] = useSession();
  const [data, { refetch }] = createResource(() => load(() => api.listInboxes()));
  const [name, setName] = createSignal('');
  const [message, failed, save] = useSaver();
  return (
    <Section title="Inboxes" data={data} what="Inboxes">
      {(list) => (
        <>
          <ul class="rows">
            <For each={list}>
              {(i) => (
                <li>
                  {i.name}{' '}
                  <Show when={i.is_primary}>
                    <span class="tag">primary</span>
                  </Show>
                  <span class="muted small"> {i.description ?? ''}</span>
                </li>
              )}
            </For>
          </ul>
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void save(async () => {
                await api.createInbox(name().trim());
                setName('');
                void refetch();
              }, 'Inbox created.');
            }}
          >
            <label for="inbox-name">New inbox</label>
            <input id="inbox-name" value={name()} onInput={(e) => setName(e.currentTarget.value)} required />
            <button class="btn small" type="submit">
              Create
            </button>
          </form>
          <Status message={message()} error={failed()} />
        </>
      )}
    </Section>
  );
}

function WidgetSection(): JSX.Element {
  const [session, { api }] = useSession();
  const accountId = (): string => session.session?.account_id ?? '';
  const [data] = createResource(() => load(() => api.getWidgetSettings(accountId())));
  const [message, failed, save] = useSaver();
  const [copied, setCopied] = createSignal<boolean | 'failed'>(false);
  const isWidgetAdmin = (): boolean => session.me?.role === 'admin';
  const snippet = (): string => `<script src="${location.origin}/widget.js" data-token="${accountId()}" async></script>`;
  return (
    <Section title="Chat widget" data={data} what="Widget settings">
      {(initial) => {
        const [form, setForm] = createSignal<WidgetSettingsInput>({ ...initial });
        const set = (key: keyof WidgetSettingsInput, value: string | boolean): void => {
          setForm({ ...form(), [key]: value });
        };
        const color = (): string => (/^#[0-9a-f]{6}$/i.test(form().color ?? '') ? form().color! : '#2563eb');
        return (
          <div class="widget-settings">
            <form
              onSubmit={(e) => {
                e.preventDefault();
                const f = form();
                if (Object.keys(widgetUrlProblems(f, location.host)).length > 0) return;
                void save(() =>
                  api.saveWidgetSettings({
                    title: f.title ?? null,
                    subtitle: f.subtitle ?? null,
                    color: f.color ?? null,
                    greeting: f.greeting ?? null,
                    new_message_placeholder: f.new_message_placeholder ?? null,
                    away_message: f.away_message ?? null,
                    show_agent_availability: !!f.show_agent_availability,
                    ...extraPayload(f, isWidgetAdmin()),
                  }),
                );
              }}
            >
              <For
                each={
                  [
                    ['title', 'Title'],
                    ['subtitle', 'Subtitle'],
                    ['greeting', 'Greeting'],
                    ['new_message_placeholder', 'Message placeholder'],
                    ['away_message', 'Away message'],
                  ] as const
                }
              >
                {([key, label]) => (
                  <div class="field">
                    <label for={`w-${key}`}>{label}</label>
                    <input id={`w-${key}`} value={String(form()[key] ?? '')} onInput={(e) => set(key, e.currentTarget.value)} />
                  </div>
                )}
              </For>
              <div class="field">
                <label for="w-color">Colour</label>
                <input id="w-color" type="color" value={color()} onInput={(e) => set('color', e.currentTarget.value)} />
              </div>
              <div class="field inline">
                <input
                  id="w-avail"
                  type="checkbox"
                  checked={!!form().show_agent_availability}
                  onChange={(e) => set('show_agent_availability', e.currentTarget.checked)}
                />
                <label for="w-avail">Show whether agents are online</label>
              </div>
              <WidgetExtraFields form={form} set={set} isAdmin={isWidgetAdmin()} host={location.host} />
              <Status message={message()} error={failed()} />
              <button class="btn primary" type="submit">
                Save
              </button>
            </form>
            <div>
              <h2>Preview</h2>
              <div class="widget-preview" aria-label="Widget preview">
                <div class="wp-head" style={{ background: color() }}>
                  <strong>{form().title || 'Chat with us'}</strong>
                  <span>{form().subtitle || 'We usually reply in a few minutes'}</span>
                </div>
                <div class="wp-body">
                  <Show when={form().greeting}>
                    <div class="wp-bubble">{form().greeting}</div>
                  </Show>
                </div>
                <div class="wp-input">{form().new_message_placeholder || 'Type your message…'}</div>
              </div>
              <LauncherPreview form={form} color={color()} host={location.host} />
              <h2>Embed on your site</h2>
              <pre class="snippet">
                <code data-testid="embed-snippet">{snippet()}</code>
              </pre>
              <button
                class="btn small"
                type="button"
                onClick={() => {
                  // Refused without permission or outside a secure context: say so, the snippet stays selectable.
                  void navigator.clipboard
                    ?.writeText(snippet())
                    .then(
                      () => setCopied(true),
                      () => setCopied('failed'),
                    )
                    .finally(() => setTimeout(() => setCopied(false), 2000));
                }}
              >
                {copied() === 'failed' ? 'Copy failed: select the snippet' : copied() ? 'Copied' : 'Copy snippet'}
              </button>
            </div>
          </div>
        );
      }}
    </Section>
  );
}

export default function SettingsPage(): JSX.Element {
  const params = useParams<{ section?: string }>();
  const section = (): string => params.section ?? 'account';
  return (
    <div class="settings">
      <nav class="settings-nav" aria-label="Settings sections">
        <For each={SECTIONS}>
          {([key, label]) => (
            <A href={`/settings/${key}`} class="nav-item" classList={{ active: section() === key }}>
              {label}
            </A>
          )}
        </For>
      </nav>
      <div class="settings-body">
        <Switch
          fallback={
            <>
              <AccountSection />
              <RemindersSection />
            </>
          }
        >
          <Match when={section() === 'profile'}>
            <ProfileSection />
          </Match>
          <Match when={section() === 'notifications'}>
            <NotificationsSection />
          </Match>
          <Match when={section() === 'ai'}>
            <AiSection />
          </Match>
          <Match when={section() === 'team'}>
            <TeamSection />
          </Match>
          <Match when={section() === 'inboxes'}>
            <InboxesSection />
            <InboxSettingsSection />
          </Match>
          <Match when={section() === 'security'}>
            <SecuritySection />
          </Match>
          <Match when={section() === 'widget'}>
            <WidgetSection />
          </Match>
          <Match when={section() === 'session-replay'}>
            <SessionReplaySection />
          </Match>
          <Match when={section() === 'saved-replies'}>
            <SavedRepliesSection />
          </Match>
          <Match when={section() === 'tags'}>
            <TagsSection />
          </Match>
          <Match when={section() === 'api-keys'}>
            <ApiKeysSection />
          </Match>
          <Match when={section() === 'webhooks'}>
            <WebhooksSection />
          </Match>
          <Match when={section() === 'gmail'}>
            <GmailSection />
          </Match>
          <Match when={section() === 'slack'}>
            <SlackSection />
          </Match>
          <Match when={section() === 'sms'}>
            <SmsSection />
          </Match>
          <Match when={section() === 'mattermost'}>
            <MattermostSection />
          </Match>
          <Match when={section() === 'email-forwarding'}>
            <EmailForwardingSection />
          </Match>
          <Match when={section() === 'csat'}>
            <CsatSection />
          </Match>
          <Match when={section() === 'github'}>
            <GithubSection />
          </Match>
          <Match when={section() === 'copilot'}>
            <CopilotSection />
          </Match>
          <Match when={section() === 'crm'}>
            <CrmSection />
          </Match>
          <Match when={section() === 'automation'}>
            <AutomationSection />
          </Match>
          <Match when={section() === 'sla'}>
            <SlaSection />
          </Match>
          <Match when={section() === 'audit-log'}>
            <AuditLogSection />
          </Match>
        </Switch>
      </div>
    </div>
  );
}
