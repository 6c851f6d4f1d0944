/**
 * Team management for the console (issue #18, item 2): typed calls to the user
 * routes over the one REST client's `parsedData` (so sessions renew as for
 * every call), and the framework-free bits of Settings → Team (who is listed,
 * what each member's state is, what an admin may do to whom). Route shapes:
 * docs/api.md, "Users".
 */
import { z } from 'zod';
import type { ApiClient } from './api.js';
import { userRemovalSchema, userSchema, userWorkloadSchema, type User, type UserRemoval, type UserWorkload } from './wire.js';

export type { UserRemoval, UserWorkload };

type Requester = Pick<ApiClient, 'parsedData'>;
const path = (id: number, action = ''): string => `/api/users/${encodeURIComponent(String(id))}${action ? `/${action}` : ''}`;

/**
 * What becomes of the open conversations of a member taken off duty: a teammate's id,
 * `null` to leave them unassigned, or `'keep'` (disable and archive only).
 */
export type Handover = number | null | 'keep';

export function handoverBody(handover: Handover): { reassign_to: number | null } | { keep_conversations: true } {
  return handover === 'keep' ? { keep_conversations: true } : { reassign_to: handover };
}

export function teamApi(client: Requester) {
  const { parsedData } = client;
  return {
    /** Everyone of the account: enabled members, then the disabled and archived ones (`GET /api/users` hides disabled users). */
    listMembers: async (): Promise<User[]> => {
      const [enabled, inactive] = await Promise.all([
        parsedData(z.array(userSchema), 'GET', '/api/users'),
        parsedData(z.array(userSchema), 'GET', '/api/users', undefined, { active: 'false' }),
      ]);
      const byId = new Map<number, User>();
      for (const u of [...enabled, ...inactive]) byId.set(u.id, u);
      return sortMembers([...byId.values()]);
    },
    setRole: (id: number, role: 'user' | 'admin') => parsedData(userSchema, 'PUT', path(id, 'role'), { role }),
    disable: (id: number, handover: Handover) => parsedData(userSchema, 'POST', path(id, 'disable'), handoverBody(handover)),
    enable: (id: number) => parsedData(userSchema, 'POST', path(id, 'enable')),
    archive: (id: number, handover: Handover) => parsedData(userSchema, 'POST', path(id, 'archive'), handoverBody(handover)),
    remove: (id: number, reassignTo: number | null) =>
      parsedData(userRemovalSchema, 'POST', path(id, 'remove'), { reassign_to: reassignTo }),
    openConversations: (id: number) => parsedData(userWorkloadSchema, 'GET', path(id, 'open_conversations')),
  };
}
export type TeamApi = ReturnType<typeof teamApi>;

export type MemberState = 'active' | 'disabled' | 'archived';

export function memberState(u: Pick<User, 'disabled_at' | 'archived_at'>): MemberState {
  return u.archived_at ? 'archived' : u.disabled_at ? 'disabled' : 'active';
}

/** Active members first (admins, then by email), then disabled, then archived. */
export function sortMembers(list: User[]): User[] {
  const rank: Record<MemberState, number> = { active: 0, disabled: 1, archived: 2 };
  return [...list].sort(
    (a, b) =>
      rank[memberState(a)] - rank[memberState(b)] ||
      (a.role === b.role ? 0 : a.role === 'admin' ? -1 : 1) ||
      a.email.localeCompare(b.email),
  );
}

/** Whether `u` is the only active admin (the server refuses demoting, disabling, archiving or removing them). */
export function isLastActiveAdmin(list: readonly User[], u: User): boolean {
  const admins = list.filter((m) => m.role === 'admin' && memberState(m) === 'active');
  return admins.length === 1 && admins[0]!.id === u.id;
}

/** Teammates the conversations may go to: active members other than `leaving`. */
export function handoverTargets(list: readonly User[], leaving: User): User[] {
  return list.filter((m) => m.id !== leaving.id && memberState(m) === 'active');
}

/** The rule in words, shown next to a refused action. */
export const LAST_ADMIN_RULE =
  'An account always keeps at least one active admin, so the last admin cannot be demoted, disabled, archived or removed. Make another teammate admin first.';
