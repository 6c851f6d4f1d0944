/**
 * @module activities/reminders
 * The account's reminder policy for the conversation workflow's reminder timer (issue #18):
 * read-only, meant as a local activity, called each time a reminder timer fires so that a
 * change of the account's settings applies to running conversations at their next timer.
 * Must not import: gateway/ (beyond protocol), workflows/.
 */
import type { DatabasePool } from 'slonik';
import { getAccountReminderSettings, type AccountReminderSettings } from '../services/accounts/manage.js';
import { adapt } from './adapt.js';

export type { AccountReminderSettings };

export interface ReminderSettingsInput {
  accountId: string;
}

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- the activity map's type is inferred on purpose: workflows proxy `ReturnType<typeof createReminderActivities>` (docs/architecture.md#activities).
export function createReminderActivities(deps: { pool: DatabasePool }) {
  const { pool } = deps;
  return {
    /** The account's reminder settings (null fields: the global defaults apply), or null when the account is gone. */
    reminderSettings: async (input: ReminderSettingsInput): Promise<AccountReminderSettings | null> =>
      adapt(() => getAccountReminderSettings(pool, input.accountId)),
  };
}

export type ReminderActivities = ReturnType<typeof createReminderActivities>;
