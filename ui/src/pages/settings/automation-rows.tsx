/**
 * The condition and action rows of Settings → Automation (docs/automation.md): any number of
 * each, up to the API's limits (AUTOMATION_MAX_CONDITIONS, AUTOMATION_MAX_ACTIONS), added and
 * removed with buttons. Each row is a fieldset named "Condition n" / "Action n" whose fields
 * depend on its type; the errors of a row (the form's own checks, or the API's 422 for
 * `conditions.n.*` / `actions.n.*`) show under it and are announced. Adding a row moves the
 * focus to its type; removing one moves it to the row that took its place (or the Add button).
 */
import { For, Show, createSignal, type Accessor, type JSX } from 'solid-js';
import { createStore, produce, type SetStoreFunction } from 'solid-js/store';
import type { AutomationAction, AutomationCondition } from '../../../../gateway/protocol/wire/automation.js';

/** One editable row; which fields count depends on `type`. */
export interface Row {
  key: number;
  type: string;
  /** Text, pattern, message body, URL, channel list, snooze minutes or a customer field's value. */
  text: string;
  /** A tag, agent or inbox id. */
  ref: string;
  /** A priority, present/absent, yes/no, status, inside/outside, or the customer field. */
  choice: string;
  /** The customer field's operator. */
  op: string;
  to: string;
  subject: string;
}

export interface Option {
  id: string;
  name: string;
}

/** What the rows can offer to pick from (the account's tags, agents and inboxes). */
export interface Choices {
  tags: Accessor<Option[]>;
  agents: Accessor<Option[]>;
  inboxes: Accessor<Option[]>;
}

export const CONDITIONS: Array<[AutomationCondition['type'], string]> = [
  ['text_contains', 'The message contains'],
  ['text_regex', 'The message matches a regular expression'],
  ['tag', 'The conversation is tagged'],
  ['priority', 'The priority is'],
  ['assigned', 'Someone is assigned'],
  ['status', 'The status is'],
  ['inbox', 'The inbox is'],
  ['channel', 'The channel is'],
  ['customer_field', 'A customer field'],
  ['working_hours', 'Working hours'],
];

export const ACTIONS: Array<[AutomationAction['type'], string]> = [
  ['add_note', 'Add a private note'],
  ['send_message', 'Send a message to the customer'],
  ['set_priority', 'Set the priority'],
  ['assign_agent', 'Assign an agent'],
  ['assign_round_robin', 'Assign the next agent (round robin)'],
  ['unassign', 'Unassign'],
  ['add_tag', 'Add a tag'],
  ['remove_tag', 'Remove a tag'],
  ['snooze', 'Snooze'],
  ['close', 'Close the conversation'],
  ['reopen', 'Reopen the conversation'],
  ['send_email', 'Send an email'],
  ['call_webhook', 'Call a webhook'],
];

const DEFAULT_CHOICE: Record<string, string> = {
  tag: 'present',
  priority: 'priority',
  assigned: 'yes',
  status: 'open',
  customer_field: 'email',
  working_hours: 'inside',
  set_priority: 'priority',
};

let nextKey = 1;

export function newRow(type: string): Row {
  return { key: nextKey++, type, text: '', ref: '', choice: DEFAULT_CHOICE[type] ?? '', op: 'equals', to: '', subject: '' };
}

type Built<T> = { ok: true; value: T } | { ok: false; problem: string };
const ok = <T,>(value: T): Built<T> => ({ ok: true, value });
const no = <T,>(problem: string): Built<T> => ({ ok: false, problem });

/** The condition a row makes, or what is missing. */
export function conditionOf(r: Row): Built<AutomationCondition> {
  const text = r.text.trim();
  switch (r.type) {
    case 'text_contains':
      return text ? ok({ type: 'text_contains', value: text, case_sensitive: false }) : no('Enter the text to look for.');
    case 'text_regex':
      return text ? ok({ type: 'text_regex', pattern: text, case_sensitive: false }) : no('Enter the regular expression.');
    case 'tag':
      return r.ref ? ok({ type: 'tag', tag_id: r.ref, present: r.choice !== 'absent' }) : no('Choose a tag.');
    case 'priority':
      return ok({ type: 'priority', priority: r.choice === 'not_priority' ? 'not_priority' : 'priority' });
    case 'assigned':
      return ok({ type: 'assigned', assigned: r.choice !== 'no' });
    case 'status':
      return ok({ type: 'status', statuses: [r.choice === 'closed' || r.choice === 'snoozed' ? r.choice : 'open'] });
    case 'inbox':
      return r.ref ? ok({ type: 'inbox', inbox_ids: [r.ref] }) : no('Choose an inbox.');
    case 'channel': {
      const sources = text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return sources.length ? ok({ type: 'channel', sources }) : no('Enter one or more channels, separated by commas.');
    }
    case 'customer_field': {
      const op = r.op === 'contains' || r.op === 'present' || r.op === 'absent' ? r.op : 'equals';
      const field = (['email', 'name', 'phone', 'external_id', 'company_name'] as const).find((f) => f === r.choice) ?? 'email';
      if ((op === 'equals' || op === 'contains') && !text) return no('Enter the value to compare with.');
      return ok({ type: 'customer_field', field, op, value: op === 'present' || op === 'absent' ? '' : text });
    }
    case 'working_hours':
      return ok({ type: 'working_hours', inside: r.choice !== 'outside' });
    default:
      return no('Choose a condition.');
  }
}

/** The action a row makes, or what is missing. */
export function actionOf(r: Row): Built<AutomationAction> {
  const text = r.text.trim();
  switch (r.type) {
    case 'add_note':
    case 'send_message':
      return text ? ok({ type: r.type, body: text }) : no('Write the text of the action.');
    case 'set_priority':
      return ok({ type: 'set_priority', priority: r.choice === 'not_priority' ? 'not_priority' : 'priority' });
    case 'assign_agent':
      return r.ref ? ok({ type: 'assign_agent', user_id: Number(r.ref) }) : no('Choose an agent.');
    case 'add_tag':
    case 'remove_tag':
      return r.ref ? ok({ type: r.type, tag_id: r.ref }) : no('Choose a tag.');
    case 'snooze': {
      const m = Number(text);
      return Number.isInteger(m) && m >= 1 && m <= 43_200
        ? ok({ type: 'snooze', seconds: m * 60 })
        : no('Enter whole minutes from 1 to 43200.');
    }
    case 'send_email':
      return r.to.trim() && r.subject.trim() && text
        ? ok({ type: 'send_email', to: r.to.trim(), subject: r.subject.trim(), body: text })
        : no('Enter the address, the subject and the text of the email.');
    case 'call_webhook':
      return text ? ok({ type: 'call_webhook', url: text }) : no('Enter the address to call.');
    case 'assign_round_robin':
    case 'unassign':
    case 'close':
    case 'reopen':
      return ok({ type: r.type });
    default:
      return no('Choose an action.');
  }
}

/** A list of rows and its operations; `errors` are per row index. */
export function createRows(initial: string[]): {
  rows: Row[];
  setRows: SetStoreFunction<Row[]>;
  errors: Accessor<Record<number, string[]>>;
  setErrors: (e: Record<number, string[]>) => void;
  reset: () => void;
} {
  const [rows, setRows] = createStore<Row[]>(initial.map(newRow));
  const [errors, setErrors] = createSignal<Record<number, string[]>>({});
  const reset = (): void => {
    setRows(initial.map(newRow));
    setErrors({});
  };
  return { rows, setRows, errors, setErrors, reset };
}

/**
 * The rows of one kind. `noun` names them ("condition", "action"); `min` rows always stay
 * (an action is required), `max` is the API's limit.
 */
export function RowList(props: {
  noun: 'condition' | 'action';
  idPrefix: string;
  list: ReturnType<typeof createRows>;
  kinds: Array<[string, string]>;
  min: number;
  max: number;
  choices: Choices;
  addType: string;
}): JSX.Element {
  const { list } = props;
  const title = props.noun === 'condition' ? 'Condition' : 'Action';
  let addButton: HTMLButtonElement | undefined;
  const selects = new Map<number, HTMLSelectElement>();
  const focusRow = (index: number): void => {
    queueMicrotask(() => {
      const row = list.rows[index];
      const el = row ? selects.get(row.key) : undefined;
      (el ?? addButton)?.focus();
    });
  };
  const add = (): void => {
    if (list.rows.length >= props.max) return;
    list.setRows(produce((rs) => void rs.push(newRow(props.addType))));
    list.setErrors({});
    focusRow(list.rows.length - 1);
  };
  const remove = (index: number): void => {
    if (list.rows.length <= props.min) return;
    list.setRows(produce((rs) => void rs.splice(index, 1)));
    list.setErrors({});
    focusRow(Math.min(index, list.rows.length - 1));
  };
  const setType = (index: number, type: string): void => {
    const key = list.rows[index]!.key;
    list.setRows(index, { ...newRow(type), key });
  };
  const set = (index: number, field: keyof Omit<Row, 'key' | 'type'>, value: string): void => {
    list.setRows(index, field, value);
  };
  return (
    <div class="automation-rows" data-testid={`${props.noun}-rows`}>
      <Show when={list.rows.length === 0}>
        <p class="small muted">No {props.noun}s: the rule runs on every such event.</p>
      </Show>
      <For each={list.rows}>
        {(row, i) => {
          const id = (): string => `${props.idPrefix}-${row.key}`;
          const n = (): number => i() + 1;
          const rowErrors = (): string[] => list.errors()[i()] ?? [];
          return (
            <fieldset
              class="automation-row"
              style={{ 'min-width': '0' }}
              data-testid={`${props.noun}-row`}
              aria-describedby={rowErrors().length ? `${id()}-error` : undefined}
            >
              <legend>
                {title} {n()}
              </legend>
              <div class="field">
                <label for={`${id()}-type`}>Type</label>
                <select
                  id={`${id()}-type`}
                  ref={(el) => selects.set(row.key, el)}
                  value={row.type}
                  aria-invalid={rowErrors().length > 0}
                  onChange={(e) => setType(i(), e.currentTarget.value)}
                >
                  <For each={props.kinds}>{([v, l]) => <option value={v}>{l}</option>}</For>
                </select>
              </div>
              <RowFields row={row} id={id()} choices={props.choices} set={(f, v) => set(i(), f, v)} />
              <Show when={rowErrors().length > 0}>
                <p class="form-error" role="alert" id={`${id()}-error`} data-testid={`${props.noun}-error`}>
                  {rowErrors().join(' ')}
                </p>
              </Show>
              <Show when={list.rows.length > props.min}>
                <button class="btn small ghost" type="button" onClick={() => remove(i())}>
                  Remove {props.noun} {n()}
                </button>
              </Show>
            </fieldset>
          );
        }}
      </For>
      <button
        class="btn small"
        type="button"
        ref={(el) => (addButton = el)}
        disabled={list.rows.length >= props.max}
        aria-describedby={`${props.idPrefix}-limit`}
        onClick={add}
      >
        Add {props.noun}
      </button>
      <span class="small muted" id={`${props.idPrefix}-limit`}>
        {' '}
        {list.rows.length} of at most {props.max}
      </span>
    </div>
  );
}

/** The fields a row's type needs. */
function RowFields(props: {
  row: Row;
  id: string;
  choices: Choices;
  set: (f: keyof Omit<Row, 'key' | 'type'>, v: string) => void;
}): JSX.Element {
  const r = props.row;
  const text = (label: string, opts: { area?: boolean; max?: number; inputmode?: 'numeric'; type?: string } = {}): JSX.Element => (
    <div class="field">
      <label for={`${props.id}-text`}>{label}</label>
      <Show
        when={opts.area}
        fallback={
          <input
            id={`${props.id}-text`}
            type={opts.type ?? 'text'}
            inputmode={opts.inputmode}
            value={r.text}
            maxlength={opts.max ?? 500}
            onInput={(e) => props.set('text', e.currentTarget.value)}
          />
        }
      >
        <textarea
          id={`${props.id}-text`}
          value={r.text}
          maxlength={opts.max ?? 4000}
          onInput={(e) => props.set('text', e.currentTarget.value)}
        />
      </Show>
    </div>
  );
  const pick = (label: string, field: 'choice' | 'op', options: Array<[string, string]>): JSX.Element => (
    <div class="field">
      <label for={`${props.id}-${field}`}>{label}</label>
      <select id={`${props.id}-${field}`} value={r[field]} onChange={(e) => props.set(field, e.currentTarget.value)}>
        <For each={options}>{([v, l]) => <option value={v}>{l}</option>}</For>
      </select>
    </div>
  );
  const ref = (label: string, placeholder: string, options: Accessor<Option[]>): JSX.Element => (
    <div class="field">
      <label for={`${props.id}-ref`}>{label}</label>
      <select id={`${props.id}-ref`} value={r.ref} onChange={(e) => props.set('ref', e.currentTarget.value)}>
        <option value="">{placeholder}</option>
        <For each={options()}>{(o) => <option value={o.id}>{o.name}</option>}</For>
      </select>
    </div>
  );
  const priority = (): JSX.Element =>
    pick('Priority', 'choice', [
      ['priority', 'Priority'],
      ['not_priority', 'Not priority'],
    ]);
  return (
    <>
      <Show when={r.type === 'text_contains'}>{text('Text')}</Show>
      <Show when={r.type === 'text_regex'}>{text('Regular expression', { max: 200 })}</Show>
      <Show when={r.type === 'tag'}>
        {ref('Tag', 'Choose a tag…', props.choices.tags)}
        {pick('Tagged or not', 'choice', [
          ['present', 'Carries the tag'],
          ['absent', 'Does not carry the tag'],
        ])}
      </Show>
      <Show when={r.type === 'priority' || r.type === 'set_priority'}>{priority()}</Show>
      <Show when={r.type === 'assigned'}>
        {pick('Assigned', 'choice', [
          ['yes', 'Assigned to someone'],
          ['no', 'Unassigned'],
        ])}
      </Show>
      <Show when={r.type === 'status'}>
        {pick('Status', 'choice', [
          ['open', 'Open'],
          ['closed', 'Closed'],
          ['snoozed', 'Snoozed'],
        ])}
      </Show>
      <Show when={r.type === 'inbox'}>{ref('Inbox', 'Choose an inbox…', props.choices.inboxes)}</Show>
      <Show when={r.type === 'channel'}>{text('Channels (comma separated, e.g. chat, email)', { max: 1000 })}</Show>
      <Show when={r.type === 'customer_field'}>
        {pick('Field', 'choice', [
          ['email', 'Email'],
          ['name', 'Name'],
          ['phone', 'Phone'],
          ['external_id', 'External id'],
          ['company_name', 'Company name'],
        ])}
        {pick('Comparison', 'op', [
          ['equals', 'equals'],
          ['contains', 'contains'],
          ['present', 'is present'],
          ['absent', 'is absent'],
        ])}
        <Show when={r.op === 'equals' || r.op === 'contains'}>{text('Value')}</Show>
      </Show>
      <Show when={r.type === 'working_hours'}>
        {pick('When', 'choice', [
          ['inside', 'Inside working hours'],
          ['outside', 'Outside working hours'],
        ])}
      </Show>
      <Show when={r.type === 'add_note' || r.type === 'send_message'}>{text('Text', { area: true })}</Show>
      <Show when={r.type === 'assign_agent'}>{ref('Agent', 'Choose an agent…', props.choices.agents)}</Show>
      <Show when={r.type === 'add_tag' || r.type === 'remove_tag'}>{ref('Tag', 'Choose a tag…', props.choices.tags)}</Show>
      <Show when={r.type === 'snooze'}>{text('For (minutes)', { inputmode: 'numeric', max: 5 })}</Show>
      <Show when={r.type === 'send_email'}>
        <div class="field">
          <label for={`${props.id}-to`}>To</label>
          <input id={`${props.id}-to`} type="email" value={r.to} maxlength={320} onInput={(e) => props.set('to', e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for={`${props.id}-subject`}>Subject</label>
          <input
            id={`${props.id}-subject`}
            value={r.subject}
            maxlength={200}
            onInput={(e) => props.set('subject', e.currentTarget.value)}
          />
        </div>
        {text('Text', { area: true, max: 10_000 })}
      </Show>
      <Show when={r.type === 'call_webhook'}>{text('Address (URL)', { type: 'url', max: 2000 })}</Show>
    </>
  );
}

/**
 * Build every row: the values, or the problems by row index. The API's field errors
 * (`conditions.1.pattern`) are placed with `placeApiErrors`.
 */
export function buildRows<T>(rows: readonly Row[], of: (r: Row) => Built<T>): { values: T[]; problems: Record<number, string[]> } {
  const values: T[] = [];
  const problems: Record<number, string[]> = {};
  rows.forEach((r, i) => {
    const b = of(r);
    if (b.ok) values.push(b.value);
    else problems[i] = [b.problem];
  });
  return { values, problems };
}

/**
 * Split a 422's field errors into the rows they name (`conditions.N.…`, `actions.N.…`) and the
 * rest (other fields, `base`), as readable lines.
 */
export function placeApiErrors(errors: Record<string, string[]> | undefined): {
  conditions: Record<number, string[]>;
  actions: Record<number, string[]>;
  rest: string[];
} {
  const out = { conditions: {} as Record<number, string[]>, actions: {} as Record<number, string[]>, rest: [] as string[] };
  for (const [key, messages] of Object.entries(errors ?? {})) {
    const m = /^(conditions|actions)\.(\d+)(?:\.(.+))?$/.exec(key);
    if (m) {
      const target = out[m[1] as 'conditions' | 'actions'];
      const field = m[3] ? `${m[3].replace(/_/g, ' ')}: ` : '';
      (target[Number(m[2])] ??= []).push(...messages.map((msg) => `${field}${msg}`));
    } else {
      out.rest.push(`${key === 'base' ? '' : `${key.replace(/_/g, ' ')}: `}${messages.join(', ')}`);
    }
  }
  return out;
}
