/**
 * @module gateway/routes/notes
 * Internal notes about customers (docs/compatibility.md#account-records): account-scoped CRUD; the
 * author is the caller and the customer must be the caller's (a missing
 * `customer_id` is a 422, where the original answered 500: Q11).
 */
import { z } from 'zod';
import { AppError } from '../../services/errors.js';
import {
  createNote,
  deleteNote,
  getNote,
  listNotes,
  presentNotes,
  updateNote,
  ZNoteInput,
  ZNoteUpdateInput,
} from '../../services/notes/index.js';
import { ZUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, created, data, dataList, envelope, NO_CONTENT, ok, ZUuidParams } from './define.js';
import { type Note, noteSchema } from '../protocol/wire/index.js';
import { publishRecordChanges } from '../record-events.js';

const TAGS = ['Notes'];

const ZNoteQuery = z.object({
  customer_id: ZUuid.optional(),
  author_id: z.coerce.number({ invalid_type_error: 'must be a number' }).int().min(1).max(2_147_483_647).optional(),
});

export function noteRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  const one = async (accountId: string, id: string): Promise<Note> => {
    const note = await getNote(pool, accountId, id);
    if (!note) throw new AppError('NOT_FOUND');
    return (await presentNotes(pool, accountId, [note]))[0]!;
  };
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/notes',
      summary: "Your account's notes, newest first (filters customer_id, author_id), with author and customer",
      tags: TAGS,
      response: ok(dataList(noteSchema)),
      query: ZNoteQuery,
      handler: async ({ user, query }) => ({
        body: { data: await presentNotes(pool, user.account_id, await listNotes(pool, user.account_id, query)) },
      }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/notes',
      summary: 'Write a note about a customer of your account',
      tags: TAGS,
      response: created(data(noteSchema)),
      body: envelope('note', ZNoteInput),
      handler: async ({ user, body }) => {
        const note = await createNote(pool, user.account_id, user.id, body);
        await publishRecordChanges(ctx, user.account_id, [{ kind: 'customer', id: note.customer_id, action: 'updated' }]);
        return { status: 201, body: { data: await one(user.account_id, note.id) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/notes/:id',
      summary: 'A note of your account',
      tags: TAGS,
      response: ok(data(noteSchema)),
      params: ZUuidParams,
      handler: async ({ req, user }) => ({ body: { data: await one(user.account_id, uuidParam(req, 'id')) } }),
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/notes/:id',
      summary: 'Edit a note of your account (body and content type)',
      tags: TAGS,
      response: ok(data(noteSchema)),
      params: ZUuidParams,
      body: envelope('note', ZNoteUpdateInput),
      handler: async ({ req, user, body }) => {
        const note = await updateNote(pool, user.account_id, uuidParam(req, 'id'), body);
        if (!note) throw new AppError('NOT_FOUND');
        await publishRecordChanges(ctx, user.account_id, [{ kind: 'customer', id: note.customer_id, action: 'updated' }]);
        return { body: { data: await one(user.account_id, note.id) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/notes/:id',
      summary: 'Delete a note of your account',
      tags: TAGS,
      response: NO_CONTENT,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const id = uuidParam(req, 'id');
        const note = await getNote(pool, user.account_id, id);
        if (!note || !(await deleteNote(pool, user.account_id, id))) throw new AppError('NOT_FOUND');
        await publishRecordChanges(ctx, user.account_id, [{ kind: 'customer', id: note.customer_id, action: 'updated' }]);
        return { status: 204 };
      },
    }),
  ];
}
