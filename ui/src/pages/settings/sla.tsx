/**
 * Settings → SLA (issue #21; docs/sla.md): the account's SLA policies in the order they are tried
 * (position), each with its conditions (inbox, priority, tag), targets in working minutes (first
 * response, next response, resolution), warning lead time and escalation agent. Admins create,
 * edit, reorder and delete them; agents see the list read-only. The form checks what the API
 * would refuse (422) before sending, and shows the API's own refusals by field. Loaded lazily.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { EditDelete, Section, Status, load, useSaver } from '../../components/settings-kit';
import { ApiError } from '../../lib/api';
import {
  EMPTY_POLICY_FORM,
  formOf,
  policyErrorsOf,
  policyInput,
  slaApi,
  type PolicyErrors,
  type PolicyForm,
  type SlaPolicy,
} from '../../lib/api-sla';
import { agentName } from '../../lib/lists';
import { useAgents } from '../../stores/agents';
import { useSession } from '../../stores/session';
import { useTags } from '../../stores/tags';
import type { Inbox } from '../../types';

const PRIORITY_WORDS = { priority: 'priority', not_priority: 'not priority' } as const;

function minutesText(n: number): string {
  if (n % (24 * 60) === 0) return `${n / (24 * 60)} d`;
  if (n % 60 === 0) return `${n / 60} h`;
  return `${n} min`;
}

/** A field with its label, its error (announced, tied to the input) and an optional hint. */
function Field(props: { id: string; label: string; error?: string; hint?: string; children: JSX.Element }): JSX.Element {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      <Show when={props.hint}>
        <span id={`${props.id}-hint`} class="small muted">
          {props.hint}
        </span>
      </Show>
      <Show when={props.error}>
        <p id={`${props.id}-error`} class="form-error" data-testid={`${props.id}-error`}>
          {props.error}
        </p>
      </Show>
    </div>
  );
}

const describedBy = (id: string, error: string | undefined, hint?: boolean): string | undefined =>
  [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;

export default function SlaSection(): JSX.Element {
  const [session, { api }] = useSession();
  const [agents] = useAgents();
  const [tags] = useTags();
  const sla = slaApi(api);
  const [policies, { refetch }] = createResource(() => load(() => sla.listPolicies()));
  const [inboxes] = createResource(() => api.listInboxes().catch(() => [] as Inbox[]));
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [message, failed, save] = useSaver();
  const [form, setForm] = createStore<PolicyForm>({ ...EMPTY_POLICY_FORM });
  const [errors, setErrors] = createSignal<PolicyErrors>({});
  const [editing, setEditing] = createSignal<SlaPolicy | null>(null);
  const list = (): SlaPolicy[] => {
    const d = policies();
    return d?.ok ? d.value : [];
  };

  const inboxName = (id: string | null): string => inboxes()?.find((i) => i.id === id)?.name ?? 'an inbox';
  const tagName = (id: string | null): string => tags.tags.find((t) => t.id === id)?.name ?? 'a tag';
  const agentLabel = (id: number): string => {
    const u = agents.users.find((x) => x.id === id);
    return u ? agentName(u) : `agent #${id}`;
  };
  const conditions = (p: SlaPolicy): string => {
    const parts = [
      p.inbox_id ? `inbox ${inboxName(p.inbox_id)}` : '',
      p.priority ? PRIORITY_WORDS[p.priority] : '',
      p.tag_id ? `tagged #${tagName(p.tag_id)}` : '',
    ].filter(Boolean);
    return parts.length ? `Applies to: ${parts.join(', ')}` : 'Applies to every conversation';
  };
  const targets = (p: SlaPolicy): string =>
    [
      p.first_response_minutes !== null ? `first response ${minutesText(p.first_response_minutes)}` : '',
      p.next_response_minutes !== null ? `next response ${minutesText(p.next_response_minutes)}` : '',
      p.resolution_minutes !== null ? `resolution ${minutesText(p.resolution_minutes)}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
  const alerting = (p: SlaPolicy): string =>
    `${p.warn_before_minutes > 0 ? `warns ${minutesText(p.warn_before_minutes)} before` : 'no warning'}; breaches go to ${
      p.escalate_to_user_id === null ? 'every agent' : agentLabel(p.escalate_to_user_id)
    }`;

  const reset = (): void => {
    setEditing(null);
    setForm({ ...EMPTY_POLICY_FORM });
    setErrors({});
  };
  const edit = (p: SlaPolicy): void => {
    setEditing(p);
    setForm(formOf(p));
    setErrors({});
    queueMicrotask(() => document.getElementById('sla-name')?.focus());
  };

  const submit = (e: Event): void => {
    e.preventDefault();
    const checked = policyInput(form);
    if ('errors' in checked) {
      setErrors(checked.errors);
      // Focus the first field in error, so keyboard and screen-reader users land on it.
      const first = Object.keys(checked.errors)[0];
      if (first && first !== 'base') document.getElementById(`sla-${first.replace(/_/g, '-')}`)?.focus();
      return;
    }
    setErrors({});
    const current = editing();
    void save(
      async () => {
        try {
          if (current) await sla.updatePolicy(current.id, checked.input);
          else await sla.createPolicy(checked.input);
        } catch (err) {
          if (err instanceof ApiError) setErrors(policyErrorsOf(err.errors));
          throw err;
        }
        reset();
        await refetch();
      },
      current ? `Policy “${checked.input.name}” saved. Clocks that start from now on use it.` : `Policy “${checked.input.name}” created.`,
    );
  };

  /** Move a policy one place up or down: every policy gets its place in the new order as its position. */
  const move = (index: number, step: -1 | 1): void => {
    const order = [...list()];
    const other = index + step;
    if (other < 0 || other >= order.length) return;
    [order[index], order[other]] = [order[other]!, order[index]!];
    void save(
      async () => {
        for (const [position, p] of order.entries()) if (p.position !== position) await sla.updatePolicy(p.id, { position });
        await refetch();
      },
      `“${order[other].name}” moved ${step < 0 ? 'up' : 'down'}.`,
    );
  };

  const input = (key: keyof PolicyForm, id: string, hint?: boolean) => ({
    id,
    value: form[key] as string,
    onInput: (e: InputEvent & { currentTarget: HTMLInputElement }) => setForm(key, e.currentTarget.value as never),
    'aria-invalid': errors()[key] ? ('true' as const) : undefined,
    'aria-describedby': describedBy(id, errors()[key], hint),
  });

  return (
    <Section title="SLA policies" data={policies} what="SLA policies" onRetry={() => void refetch()}>
      {() => (
        <>
          <p class="small muted" id="sla-help">
            An SLA policy sets how soon a conversation should get its first reply, each later reply and its resolution. The first enabled
            policy in this order whose conditions match a conversation applies when its clock starts; targets count your working hours
            (Account &amp; hours). Agents see a countdown on each conversation, the assignee is warned before a deadline, and a missed one
            is escalated.
          </p>
          <Show
            when={list().length > 0}
            fallback={
              <div class="state empty" data-testid="sla-empty">
                <p>No SLA policies yet.</p>
                <p class="small muted">
                  {isAdmin()
                    ? 'Create one below: for example a first response within 60 minutes for every conversation.'
                    : 'An admin can create them.'}
                </p>
              </div>
            }
          >
            <ol class="rows sla-policies" aria-label="SLA policies, in the order they are tried" data-testid="sla-policies">
              <For each={list()}>
                {(p, i) => {
                  const confirming = createSignal(false);
                  return (
                    <li data-testid="sla-policy-row" data-policy-name={p.name}>
                      <div class="sla-policy-text">
                        <strong>
                          {i() + 1}. {p.name}
                        </strong>{' '}
                        <Show when={!p.enabled}>
                          <span class="tag">Disabled</span>
                        </Show>
                        <div class="small">{targets(p)}</div>
                        <div class="small muted">
                          {conditions(p)}; {alerting(p)}
                        </div>
                      </div>
                      <Show when={isAdmin()}>
                        <span class="sla-policy-actions">
                          <button class="btn ghost small" type="button" disabled={i() === 0} onClick={() => move(i(), -1)}>
                            ↑<span class="visually-hidden">{` Move ${p.name} up`}</span>
                          </button>
                          <button class="btn ghost small" type="button" disabled={i() === list().length - 1} onClick={() => move(i(), 1)}>
                            ↓<span class="visually-hidden">{` Move ${p.name} down`}</span>
                          </button>
                          <EditDelete
                            name={`policy ${p.name}`}
                            onEdit={() => edit(p)}
                            question={<>Delete “{p.name}”? Running clocks keep their targets.</>}
                            onDelete={() =>
                              void save(async () => {
                                await sla.deletePolicy(p.id);
                                if (editing()?.id === p.id) reset();
                                await refetch();
                              }, `Policy “${p.name}” deleted.`)
                            }
                            confirming={confirming}
                          />
                        </span>
                      </Show>
                    </li>
                  );
                }}
              </For>
            </ol>
          </Show>
          <Show
            when={isAdmin()}
            fallback={
              <>
                <p class="small muted" data-testid="sla-read-only">
                  Only admins can change SLA policies.
                </p>
                <Status message={message()} error={failed()} testId="sla-status" />
              </>
            }
          >
            <form class="sla-form" onSubmit={submit} novalidate aria-labelledby="sla-form-title" data-testid="sla-form">
              <h2 id="sla-form-title">{editing() ? `Edit “${editing()!.name}”` : 'New policy'}</h2>
              <Field id="sla-name" label="Policy name" error={errors().name}>
                <input {...input('name', 'sla-name')} maxlength={200} />
              </Field>
              <div class="field inline">
                <input
                  id="sla-enabled"
                  type="checkbox"
                  checked={form.enabled}
                  onChange={(e) => setForm('enabled', e.currentTarget.checked)}
                />
                <label for="sla-enabled">Enabled</label>
              </div>
              <fieldset class="sla-fieldset">
                <legend>Applies to (all must hold)</legend>
                <Field id="sla-inbox-id" label="Inbox" error={errors().inbox_id}>
                  <select id="sla-inbox-id" value={form.inbox_id} onChange={(e) => setForm('inbox_id', e.currentTarget.value)}>
                    <option value="">Any inbox</option>
                    <For each={inboxes() ?? []}>{(inbox) => <option value={inbox.id}>{inbox.name}</option>}</For>
                  </select>
                </Field>
                <Field id="sla-priority" label="Priority" error={errors().priority}>
                  <select
                    id="sla-priority"
                    value={form.priority}
                    onChange={(e) => setForm('priority', e.currentTarget.value as PolicyForm['priority'])}
                  >
                    <option value="">Any priority</option>
                    <option value="priority">Priority</option>
                    <option value="not_priority">Not priority</option>
                  </select>
                </Field>
                <Field id="sla-tag-id" label="Tag" error={errors().tag_id}>
                  <select id="sla-tag-id" value={form.tag_id} onChange={(e) => setForm('tag_id', e.currentTarget.value)}>
                    <option value="">Any tag</option>
                    <For each={tags.tags}>{(tag) => <option value={tag.id}>{tag.name}</option>}</For>
                  </select>
                </Field>
              </fieldset>
              <fieldset class="sla-fieldset">
                <legend>Targets, in working minutes (at least one)</legend>
                <Field id="sla-first-response-minutes" label="First response (minutes)" error={errors().first_response_minutes}>
                  <input {...input('first_response_minutes', 'sla-first-response-minutes')} inputmode="numeric" placeholder="None" />
                </Field>
                <Field id="sla-next-response-minutes" label="Next response (minutes)" error={errors().next_response_minutes}>
                  <input {...input('next_response_minutes', 'sla-next-response-minutes')} inputmode="numeric" placeholder="None" />
                </Field>
                <Field id="sla-resolution-minutes" label="Resolution (minutes)" error={errors().resolution_minutes}>
                  <input {...input('resolution_minutes', 'sla-resolution-minutes')} inputmode="numeric" placeholder="None" />
                </Field>
              </fieldset>
              <Field
                id="sla-warn-before-minutes"
                label="Warn before a deadline (minutes)"
                error={errors().warn_before_minutes}
                hint="0: no warning. The assignee is warned (everyone while unassigned)."
              >
                <input {...input('warn_before_minutes', 'sla-warn-before-minutes', true)} inputmode="numeric" />
              </Field>
              <Field id="sla-escalate-to-user-id" label="Escalate a missed deadline to" error={errors().escalate_to_user_id}>
                <select
                  id="sla-escalate-to-user-id"
                  value={form.escalate_to_user_id}
                  onChange={(e) => setForm('escalate_to_user_id', e.currentTarget.value)}
                >
                  <option value="">Every agent</option>
                  <For each={agents.users}>{(u) => <option value={String(u.id)}>{agentName(u)}</option>}</For>
                </select>
              </Field>
              <Field
                id="sla-position"
                label="Position (optional)"
                error={errors().position}
                hint="Lower positions are tried first; empty: after the others."
              >
                <input {...input('position', 'sla-position', true)} inputmode="numeric" />
              </Field>
              <Show when={errors().base}>
                <p class="form-error" role="alert" data-testid="sla-base-error">
                  {errors().base}
                </p>
              </Show>
              <Status message={message()} error={failed()} testId="sla-status" />
              <div class="inline-form">
                <button class="btn primary" type="submit">
                  {editing() ? 'Save policy' : 'Create policy'}
                </button>
                <Show when={editing()}>
                  <button class="btn ghost" type="button" onClick={reset}>
                    Cancel
                  </button>
                </Show>
              </div>
            </form>
          </Show>
        </>
      )}
    </Section>
  );
}
