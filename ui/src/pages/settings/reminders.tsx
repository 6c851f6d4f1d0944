/**
 * Settings → Account & hours → Conversation reminders (issue #18): the account's reminder
 * policy, as the original's account settings keep it (`conversation_reminders_enabled`,
 * `conversation_reminder_hours_interval`, `max_num_conversation_reminders`). An empty field (or
 * "Server default") stores null: the server's global setting applies. Running conversations
 * follow a change at their next reminder timer. Admins edit it; agents see it read-only.
 */
import { Show, createResource, createSignal, type JSX } from 'solid-js';
import { Section, Status, load, useSaver } from '../../components/settings-kit';
import { ApiError } from '../../lib/api';
import { useSession } from '../../stores/session';
import type { Account } from '../../types';

/** Bounds the server accepts (services/accounts/manage.ts `ZAccountSettingsInput`). */
export const REMINDER_HOURS_MAX = 24 * 30;
export const REMINDERS_MAX = 100;

type Enabled = 'default' | 'on' | 'off';
type Settings = Account['settings'];
export type ReminderSettingsInput = Pick<
  Settings,
  'conversation_reminders_enabled' | 'conversation_reminder_hours_interval' | 'max_num_conversation_reminders'
>;

/** A whole number within `min`..`max`, null when empty (the server default), or the message that explains what is wrong. */
export function parseWhole(text: string, min: number, max: number): { value: number | null } | { error: string } {
  const s = text.trim();
  if (s === '') return { value: null };
  if (!/^\d+$/.test(s)) return { error: 'Enter a whole number, or leave it empty for the server default.' };
  const n = Number(s);
  if (n < min || n > max) return { error: `Enter a number from ${min} to ${max}.` };
  return { value: n };
}

const fieldOf = (err: unknown, key: string): string | undefined => {
  if (!(err instanceof ApiError) || !err.errors) return undefined;
  return (err.errors[`settings.${key}`] ?? err.errors[key])?.join(', ');
};

export function RemindersSection(): JSX.Element {
  const [session, { api }] = useSession();
  const [data, { mutate }] = createResource(() => load(() => api.getAccount()));
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [message, failed, save] = useSaver();
  return (
    <Section title="Conversation reminders" data={data} what="Reminder settings">
      {(account) => {
        const s = account.settings;
        const [enabled, setEnabled] = createSignal<Enabled>(
          s.conversation_reminders_enabled === null ? 'default' : s.conversation_reminders_enabled ? 'on' : 'off',
        );
        const [hours, setHours] = createSignal(s.conversation_reminder_hours_interval?.toString() ?? '');
        const [max, setMax] = createSignal(s.max_num_conversation_reminders?.toString() ?? '');
        const [hoursError, setHoursError] = createSignal<string | undefined>();
        const [maxError, setMaxError] = createSignal<string | undefined>();
        const submit = (e: Event): void => {
          e.preventDefault();
          const h = parseWhole(hours(), 1, REMINDER_HOURS_MAX);
          const m = parseWhole(max(), 0, REMINDERS_MAX);
          setHoursError('error' in h ? h.error : undefined);
          setMaxError('error' in m ? m.error : undefined);
          if ('error' in h || 'error' in m) return;
          const settings: ReminderSettingsInput = {
            conversation_reminders_enabled: enabled() === 'default' ? null : enabled() === 'on',
            conversation_reminder_hours_interval: h.value,
            max_num_conversation_reminders: m.value,
          };
          void save(async () => {
            try {
              const saved = await api.updateAccount(account.id, { settings });
              mutate({ ok: true, value: saved });
            } catch (err) {
              setHoursError(fieldOf(err, 'conversation_reminder_hours_interval'));
              setMaxError(fieldOf(err, 'max_num_conversation_reminders'));
              throw err;
            }
          }, 'Reminder settings saved. Open conversations follow them from their next reminder.');
        };
        return (
          <form onSubmit={submit} novalidate aria-describedby="reminders-help">
            <p id="reminders-help" class="small muted">
              When a customer waits for a reply, agents get a private reminder note and an email: the first goes to the assignee, later ones
              to everyone. Reminders wait for your working hours. Leave a field empty to use the server default.
            </p>
            <div class="field">
              <label for="reminders-enabled">Reminders</label>
              <select
                id="reminders-enabled"
                value={enabled()}
                onChange={(e) => setEnabled(e.currentTarget.value as Enabled)}
                disabled={!isAdmin()}
              >
                <option value="default">Server default</option>
                <option value="on">On</option>
                <option value="off">Off</option>
              </select>
            </div>
            <div class="field">
              <label for="reminder-hours">Hours before each reminder</label>
              <input
                id="reminder-hours"
                inputmode="numeric"
                value={hours()}
                placeholder="Server default"
                onInput={(e) => setHours(e.currentTarget.value)}
                disabled={!isAdmin() || enabled() === 'off'}
                aria-invalid={hoursError() ? 'true' : undefined}
                aria-describedby={hoursError() ? 'reminder-hours-error' : undefined}
              />
              <Show when={hoursError()}>
                <p id="reminder-hours-error" class="form-error" data-testid="reminder-hours-error">
                  {hoursError()}
                </p>
              </Show>
            </div>
            <div class="field">
              <label for="reminder-max">Most reminders per conversation</label>
              <input
                id="reminder-max"
                inputmode="numeric"
                value={max()}
                placeholder="Server default"
                onInput={(e) => setMax(e.currentTarget.value)}
                disabled={!isAdmin() || enabled() === 'off'}
                aria-invalid={maxError() ? 'true' : undefined}
                aria-describedby={maxError() ? 'reminder-max-error' : undefined}
              />
              <Show when={maxError()}>
                <p id="reminder-max-error" class="form-error" data-testid="reminder-max-error">
                  {maxError()}
                </p>
              </Show>
            </div>
            <Show when={!isAdmin()}>
              <p class="small muted" data-testid="reminders-read-only">
                Only admins can change the reminder settings.
              </p>
            </Show>
            <Status message={message()} error={failed()} testId="reminders-status" />
            <Show when={isAdmin()}>
              <button class="btn primary" type="submit">
                Save reminders
              </button>
            </Show>
          </form>
        );
      }}
    </Section>
  );
}
