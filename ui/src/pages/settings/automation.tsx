/**
 * Settings → Automation (issue #21 item 3; docs/automation.md): the account's rules (a trigger,
 * any number of conditions and actions up to the API's limits: automation-rows.tsx; rules are
 * listed and can be switched off or deleted), a preview of the saved rules against a
 * conversation, and macros (actions with an optional Alt+key shortcut) that agents run from a
 * conversation. The API's refusals (422) are shown at the row they name. Admins edit; agents see
 * the lists read-only. Loaded lazily.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { z } from 'zod';
import { Section, Status, load, useSaver } from '../../components/settings-kit';
import { ApiError } from '../../lib/api';
import { inboxSchema, tagSchema, userSchema } from '../../lib/wire';
import { useSession } from '../../stores/session';
import {
  AUTOMATION_MAX_ACTIONS,
  AUTOMATION_MAX_CONDITIONS,
  automationMacroSchema,
  automationPreviewSchema,
  automationRuleSchema,
  type AutomationAction,
  type AutomationMacro,
  type AutomationPreview,
  type AutomationRule,
  type AutomationTrigger,
} from '../../../../gateway/protocol/wire/automation.js';
import {
  ACTIONS,
  CONDITIONS,
  RowList,
  actionOf,
  buildRows,
  conditionOf,
  createRows,
  placeApiErrors,
  type Choices,
  type Option,
} from './automation-rows';

const TRIGGERS: Array<[AutomationTrigger['type'], string]> = [
  ['message_created', 'A customer writes'],
  ['conversation_created', 'A conversation starts'],
  ['status_changed', 'The status changes'],
  ['assignee_changed', 'The assignee changes'],
  ['priority_changed', 'The priority changes'],
  ['tag_changed', 'A tag is added or removed'],
  ['customer_waiting', 'The customer waits for a reply'],
  ['agent_waiting', 'The customer has not answered an agent'],
];

/** The account's tags, agents and inboxes for the rows' pickers (empty until loaded, or when a list cannot be read). */
function useChoices(): Choices {
  const [, { api }] = useSession();
  const list = <T,>(read: () => Promise<T[]>, of: (x: T) => Option) => {
    const [data] = createResource(() =>
      read().then(
        (xs) => xs.map(of),
        () => [] as Option[],
      ),
    );
    return (): Option[] => data() ?? [];
  };
  return {
    tags: list(
      () => api.parsedData(z.array(tagSchema), 'GET', '/api/tags'),
      (t) => ({ id: t.id, name: t.name }),
    ),
    agents: list(
      () => api.parsedData(z.array(userSchema), 'GET', '/api/users'),
      (u) => ({ id: String(u.id), name: u.display_name || u.full_name || u.email }),
    ),
    inboxes: list(
      () => api.parsedData(z.array(inboxSchema), 'GET', '/api/inboxes'),
      (i) => ({ id: i.id, name: i.name }),
    ),
  };
}

/** A 422's field errors, else null. */
function fieldErrorsOf(err: unknown): Record<string, string[]> | null {
  return err instanceof ApiError && err.status === 422 ? (err.errors ?? {}) : null;
}

function describeTrigger(t: AutomationTrigger): string {
  const label = TRIGGERS.find(([type]) => type === t.type)?.[1] ?? t.type;
  return 'after_seconds' in t ? `${label} (${Math.round(t.after_seconds / 60)} min)` : label;
}

function describeAction(a: AutomationAction): string {
  const label = ACTIONS.find(([type]) => type === a.type)?.[1] ?? a.type.replace(/_/g, ' ');
  return a.type === 'add_note' || a.type === 'send_message' ? `${label}: “${a.body}”` : label;
}

function RulesSection(props: { choices: Choices }): JSX.Element {
  const [session, { api }] = useSession();
  const [rules, { refetch }] = createResource(() =>
    load(() => api.parsedData(z.array(automationRuleSchema), 'GET', '/api/automation/rules')),
  );
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [message, failed, save] = useSaver();
  const [name, setName] = createSignal('');
  const [trigger, setTrigger] = createSignal<AutomationTrigger['type']>('message_created');
  const [minutes, setMinutes] = createSignal('30');
  const conditions = createRows([]);
  const actions = createRows(['add_note']);
  const choices = props.choices;
  const [error, setError] = createSignal<string | undefined>();
  // Read from the resource (the section renders its content once): a refetch updates the list.
  const ruleList = (): AutomationRule[] => {
    const d = rules();
    return d?.ok ? d.value : [];
  };
  const isTimer = (): boolean => trigger() === 'customer_waiting' || trigger() === 'agent_waiting';

  const submit = (e: Event): void => {
    e.preventDefault();
    const m = Number(minutes());
    const builtConditions = buildRows(conditions.rows, conditionOf);
    const builtActions = buildRows(actions.rows, actionOf);
    conditions.setErrors(builtConditions.problems);
    actions.setErrors(builtActions.problems);
    const rowProblems = Object.keys(builtConditions.problems).length + Object.keys(builtActions.problems).length;
    const problem =
      name().trim() === ''
        ? 'Give the rule a name.'
        : isTimer() && !(Number.isInteger(m) && m >= 1 && m <= 43_200)
          ? 'Enter whole minutes from 1 to 43200.'
          : rowProblems > 0
            ? `${rowProblems === 1 ? 'One condition or action is' : `${rowProblems} conditions or actions are`} not complete: see below.`
            : undefined;
    setError(problem);
    if (problem) return;
    const t: AutomationTrigger =
      trigger() === 'customer_waiting' || trigger() === 'agent_waiting'
        ? { type: trigger() as 'customer_waiting', after_seconds: m * 60 }
        : trigger() === 'message_created'
          ? { type: 'message_created', author: 'customer' }
          : trigger() === 'status_changed'
            ? { type: 'status_changed', to: null }
            : ({ type: trigger() } as AutomationTrigger);
    const rule = { name: name().trim(), trigger: t, conditions: builtConditions.values, actions: builtActions.values };
    void save(async () => {
      try {
        await api.parsedData(automationRuleSchema, 'POST', '/api/automation/rules', { rule });
      } catch (err) {
        // The API's refusal, shown at the rows it names (the rest in the status line).
        const fields = fieldErrorsOf(err);
        if (fields) {
          const placed = placeApiErrors(fields);
          conditions.setErrors(placed.conditions);
          actions.setErrors(placed.actions);
          setError(placed.rest.length ? placed.rest.join(' ') : 'The rule was not saved: see the conditions and actions below.');
        }
        throw err;
      }
      setName('');
      conditions.reset();
      actions.reset();
      await refetch();
    }, 'Rule saved. It applies from the next event of each conversation.');
  };

  const toggle = (r: AutomationRule): void => {
    const { name: n, position, trigger: tr, conditions, actions } = r;
    void save(
      async () => {
        await api.parsedData(automationRuleSchema, 'PUT', `/api/automation/rules/${r.id}`, {
          rule: { name: n, position, trigger: tr, conditions, actions, enabled: !r.enabled },
        });
        await refetch();
      },
      r.enabled ? `“${r.name}” is off.` : `“${r.name}” is on.`,
    );
  };

  const remove = (r: AutomationRule): void => {
    void save(async () => {
      await api.request('DELETE', `/api/automation/rules/${r.id}`);
      await refetch();
    }, `“${r.name}” deleted.`);
  };

  return (
    <Section title="Automation rules" data={rules} what="Automation rules" onRetry={() => void refetch()}>
      {() => (
        <div data-testid="automation-rules">
          <p class="small muted">
            Rules run in each conversation when their trigger happens and their condition holds, in the order listed, once per event.
          </p>
          <Show when={ruleList().length === 0}>
            <p class="state" data-testid="rules-empty">
              No rules yet.
            </p>
          </Show>
          <ul class="plain-list">
            <For each={ruleList()}>
              {(r) => (
                <li class="row" data-testid="rule-row">
                  <span>
                    <strong>{r.name}</strong> — {describeTrigger(r.trigger)}
                    {r.conditions.length ? `, ${r.conditions.length} condition(s)` : ''} → {r.actions.map(describeAction).join(', ')}
                    {r.enabled ? '' : ' (off)'}
                  </span>
                  <Show when={isAdmin()}>
                    <button class="btn small" type="button" onClick={() => toggle(r)}>
                      {r.enabled ? `Turn off ${r.name}` : `Turn on ${r.name}`}
                    </button>
                    <button class="btn small danger" type="button" onClick={() => remove(r)}>
                      Delete {r.name}
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ul>
          <Show when={isAdmin()} fallback={<p class="small muted">Only admins can change automation rules.</p>}>
            <form onSubmit={submit} novalidate aria-labelledby="new-rule-title">
              <h2 id="new-rule-title">New rule</h2>
              <div class="field">
                <label for="rule-name">Rule name</label>
                <input id="rule-name" value={name()} maxlength={200} onInput={(e) => setName(e.currentTarget.value)} />
              </div>
              <div class="field">
                <label for="rule-trigger">When</label>
                <select
                  id="rule-trigger"
                  value={trigger()}
                  onChange={(e) => setTrigger(e.currentTarget.value as AutomationTrigger['type'])}
                >
                  <For each={TRIGGERS}>{([v, l]) => <option value={v}>{l}</option>}</For>
                </select>
              </div>
              <Show when={isTimer()}>
                <div class="field">
                  <label for="rule-minutes">For (minutes)</label>
                  <input id="rule-minutes" inputmode="numeric" value={minutes()} onInput={(e) => setMinutes(e.currentTarget.value)} />
                </div>
              </Show>
              <section aria-labelledby="rule-conditions-title">
                <h3 id="rule-conditions-title">Only if (all hold)</h3>
                <RowList
                  noun="condition"
                  idPrefix="rule-condition"
                  list={conditions}
                  kinds={CONDITIONS}
                  min={0}
                  max={AUTOMATION_MAX_CONDITIONS}
                  choices={choices}
                  addType="text_contains"
                />
              </section>
              <section aria-labelledby="rule-actions-title">
                <h3 id="rule-actions-title">Then (in order)</h3>
                <RowList
                  noun="action"
                  idPrefix="rule-action"
                  list={actions}
                  kinds={ACTIONS}
                  min={1}
                  max={AUTOMATION_MAX_ACTIONS}
                  choices={choices}
                  addType="add_note"
                />
              </section>
              <Show when={error()}>
                <p class="form-error" role="alert" data-testid="rule-error">
                  {error()}
                </p>
              </Show>
              <button class="btn primary" type="submit">
                Save rule
              </button>
            </form>
            <PreviewForm />
          </Show>
          <Status message={message()} error={failed()} testId="rules-status" />
        </div>
      )}
    </Section>
  );
}

function PreviewForm(): JSX.Element {
  const [, { api }] = useSession();
  const [conversation, setConversation] = createSignal('');
  const [trigger, setTrigger] = createSignal<AutomationTrigger['type']>('message_created');
  const [body, setBody] = createSignal('');
  const [result, setResult] = createSignal<AutomationPreview | undefined>();
  const [message, failed, save] = useSaver();
  const submit = (e: Event): void => {
    e.preventDefault();
    const input = { conversation_id: conversation().trim(), trigger: trigger(), ...(body().trim() ? { message_body: body() } : {}) };
    void save(async () => setResult(await api.parsedData(automationPreviewSchema, 'POST', '/api/automation/preview', input)));
  };
  return (
    <form onSubmit={submit} aria-labelledby="preview-title" data-testid="automation-preview">
      <h2 id="preview-title">Test against a conversation</h2>
      <div class="field">
        <label for="preview-conversation">Conversation id</label>
        <input id="preview-conversation" value={conversation()} onInput={(e) => setConversation(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="preview-trigger">Event</label>
        <select id="preview-trigger" value={trigger()} onChange={(e) => setTrigger(e.currentTarget.value as AutomationTrigger['type'])}>
          <For each={TRIGGERS}>{([v, l]) => <option value={v}>{l}</option>}</For>
        </select>
      </div>
      <div class="field">
        <label for="preview-body">Message text (optional: the last message otherwise)</label>
        <input id="preview-body" value={body()} onInput={(e) => setBody(e.currentTarget.value)} />
      </div>
      <button class="btn" type="submit">
        Test rules
      </button>
      <Status message={message()} error={failed()} />
      <Show when={result()}>
        {(r) => (
          <ul class="plain-list" data-testid="preview-result" aria-live="polite">
            <Show when={r().rules.length === 0}>
              <li>No enabled rules.</li>
            </Show>
            <For each={r().rules}>
              {(rule) => (
                <li>
                  <strong>{rule.name}</strong>: {rule.matches ? 'would run' : 'would not run'}
                  {rule.trigger_matches ? '' : ' (another trigger)'}
                  <For each={rule.conditions}>
                    {(c) => (
                      <span class="small muted">
                        {' '}
                        · {c.type} {c.ok ? '✓' : `✗${c.detail ? ` (${c.detail})` : ''}`}
                      </span>
                    )}
                  </For>
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>
    </form>
  );
}

function MacrosSection(props: { choices: Choices }): JSX.Element {
  const [session, { api }] = useSession();
  const [macros, { refetch }] = createResource(() =>
    load(() => api.parsedData(z.array(automationMacroSchema), 'GET', '/api/automation/macros')),
  );
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [message, failed, save] = useSaver();
  const [name, setName] = createSignal('');
  const [shortcut, setShortcut] = createSignal('');
  const actions = createRows(['close']);
  const choices = props.choices;
  const [error, setError] = createSignal<string | undefined>();
  const macroList = (): AutomationMacro[] => {
    const d = macros();
    return d?.ok ? d.value : [];
  };
  const submit = (e: Event): void => {
    e.preventDefault();
    const key = shortcut().trim().toLowerCase();
    const built = buildRows(actions.rows, actionOf);
    actions.setErrors(built.problems);
    const problem =
      name().trim() === ''
        ? 'Give the macro a name.'
        : key !== '' && !/^[0-9a-z]$/.test(key)
          ? 'A shortcut is one letter or digit.'
          : Object.keys(built.problems).length > 0
            ? 'An action is not complete: see below.'
            : undefined;
    setError(problem);
    if (problem) return;
    const macro = { name: name().trim(), shortcut: key === '' ? null : key, actions: built.values };
    void save(async () => {
      try {
        await api.parsedData(automationMacroSchema, 'POST', '/api/automation/macros', { macro });
      } catch (err) {
        const fields = fieldErrorsOf(err);
        if (fields) {
          const placed = placeApiErrors(fields);
          actions.setErrors(placed.actions);
          setError(placed.rest.length ? placed.rest.join(' ') : 'The macro was not saved: see the actions below.');
        }
        throw err;
      }
      setName('');
      setShortcut('');
      actions.reset();
      await refetch();
    }, 'Macro saved.');
  };
  return (
    <Section title="Macros" data={macros} what="Macros" onRetry={() => void refetch()}>
      {() => (
        <div data-testid="automation-macros">
          <p class="small muted">Agents run a macro from a conversation's Macros menu, or with Alt and its shortcut key.</p>
          <Show when={macroList().length === 0}>
            <p class="state">No macros yet.</p>
          </Show>
          <ul class="plain-list">
            <For each={macroList()}>
              {(m) => (
                <li class="row" data-testid="macro-row">
                  <span>
                    <strong>{m.name}</strong>
                    {m.shortcut ? ` (Alt+${m.shortcut.toUpperCase()})` : ''} → {m.actions.map(describeAction).join(', ')}
                  </span>
                  <Show when={isAdmin()}>
                    <button
                      class="btn small danger"
                      type="button"
                      onClick={() =>
                        void save(async () => {
                          await api.request('DELETE', `/api/automation/macros/${m.id}`);
                          await refetch();
                        }, `“${m.name}” deleted.`)
                      }
                    >
                      Delete {m.name}
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ul>
          <Show when={isAdmin()}>
            <form onSubmit={submit} novalidate aria-labelledby="new-macro-title">
              <h2 id="new-macro-title">New macro</h2>
              <div class="field">
                <label for="macro-name">Macro name</label>
                <input id="macro-name" value={name()} maxlength={200} onInput={(e) => setName(e.currentTarget.value)} />
              </div>
              <div class="field">
                <label for="macro-shortcut">Shortcut key (optional)</label>
                <input id="macro-shortcut" value={shortcut()} maxlength={1} onInput={(e) => setShortcut(e.currentTarget.value)} />
              </div>
              <RowList
                noun="action"
                idPrefix="macro-action"
                list={actions}
                kinds={ACTIONS}
                min={1}
                max={AUTOMATION_MAX_ACTIONS}
                choices={choices}
                addType="add_note"
              />
              <Show when={error()}>
                <p class="form-error" role="alert">
                  {error()}
                </p>
              </Show>
              <button class="btn primary" type="submit">
                Save macro
              </button>
            </form>
          </Show>
          <Status message={message()} error={failed()} testId="macros-status" />
        </div>
      )}
    </Section>
  );
}

export function AutomationSection(): JSX.Element {
  const choices = useChoices(); // read once for both forms
  return (
    <>
      <RulesSection choices={choices} />
      <MacrosSection choices={choices} />
    </>
  );
}

export default AutomationSection;
