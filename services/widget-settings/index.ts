/**
 * @module services/widget-settings
 * The chat widget's appearance and behaviour, one row per (account, inbox),
 * created on first read (docs/compatibility.md#data-model, #widget-settings-and-business-context). Public readers pass an
 * account id; agents edit their own account's rows only.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { setClause } from '../db/set-clause.js';
import { iso, optionalText, ZOptionalHttpUrl } from '../validation.js';
import type { WidgetSettings } from '../../gateway/protocol/wire/index.js';

export const ZWidgetSettingsRow = z.object({
  id: z.string(),
  account_id: z.string(),
  inbox_id: z.string(),
  title: z.string().nullable(),
  subtitle: z.string().nullable(),
  color: z.string().nullable(),
  greeting: z.string().nullable(),
  new_message_placeholder: z.string().nullable(),
  show_agent_availability: z.boolean(),
  agent_available_text: z.string().nullable(),
  agent_unavailable_text: z.string().nullable(),
  require_email_upfront: z.boolean(),
  is_open_by_default: z.boolean(),
  is_branding_hidden: z.boolean(),
  custom_icon_url: z.string().nullable(),
  iframe_url_override: z.string().nullable(),
  icon_variant: z.string(),
  email_input_placeholder: z.string().nullable(),
  new_messages_notification_text: z.string().nullable(),
  base_url: z.string().nullable(),
  away_message: z.string().nullable(),
  host: z.string().nullable(),
  pathname: z.string().nullable(),
  last_seen_at: z.number().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type WidgetSettingsRow = z.infer<typeof ZWidgetSettingsRow>;

const columns = sql.fragment`id, account_id, inbox_id, title, subtitle, color, greeting, new_message_placeholder,
  show_agent_availability, agent_available_text, agent_unavailable_text, require_email_upfront, is_open_by_default,
  is_branding_hidden, custom_icon_url, iframe_url_override, icon_variant, email_input_placeholder,
  new_messages_notification_text, base_url, away_message, host, pathname, last_seen_at, inserted_at, updated_at`;

/**
 * A URL the widget loads (launcher icon, chat page, API base): absolute http(s), parsed as the
 * browser will, without credentials; null or '' clears it. Which hosts are allowed depends on
 * the server's own host, so the route checks that (`widgetUrlErrors`).
 */
const ZWidgetUrl = ZOptionalHttpUrl.refine((v) => {
  if (typeof v !== 'string') return true;
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && u.hostname !== '';
  } catch {
    return false;
  }
}, 'must be an http(s) URL without credentials');

/** The URL fields of the settings: they change what visitors load, so only admins set them. */
export const WIDGET_URL_FIELDS = ['custom_icon_url', 'iframe_url_override', 'base_url'] as const;

/**
 * Where each URL field may point, given the host this server is reached at: the launcher icon
 * over https anywhere (or http on this server); the chat page and the API base on this server
 * only, which is all the widget honours from stored settings (a chat page on another site
 * belongs in the embed code, written by the site's owner).
 */
export function widgetUrlErrors(
  input: Partial<Record<(typeof WIDGET_URL_FIELDS)[number], string | null>>,
  serverHost: string,
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const key of WIDGET_URL_FIELDS) {
    const value = input[key];
    if (typeof value !== 'string') continue;
    const u = new URL(value);
    const isOwn = u.host.toLowerCase() === serverHost.toLowerCase();
    if (key === 'custom_icon_url' ? u.protocol !== 'https:' && !isOwn : !isOwn) {
      errors[key] = [key === 'custom_icon_url' ? 'must be an https URL (or one on this server)' : `must be on this server (${serverHost})`];
    }
  }
  return errors;
}

/** Fields an agent may edit (`PUT /api/widget_settings`). */
export const ZWidgetSettingsInput = z.object({
  inbox_id: z.string().uuid('is invalid').nullable().optional(),
  title: optionalText(255),
  subtitle: optionalText(255),
  color: optionalText(64),
  greeting: optionalText(2000),
  new_message_placeholder: optionalText(255),
  show_agent_availability: z.boolean().optional(),
  agent_available_text: optionalText(255),
  agent_unavailable_text: optionalText(255),
  require_email_upfront: z.boolean().optional(),
  is_open_by_default: z.boolean().optional(),
  is_branding_hidden: z.boolean().optional(),
  custom_icon_url: ZWidgetUrl,
  iframe_url_override: ZWidgetUrl,
  icon_variant: z.enum(['outlined', 'filled']).optional(),
  email_input_placeholder: optionalText(255),
  new_messages_notification_text: optionalText(120),
  base_url: ZWidgetUrl,
  away_message: optionalText(5000),
});
export type WidgetSettingsInput = z.infer<typeof ZWidgetSettingsInput>;

const EDITABLE = [
  'title',
  'subtitle',
  'color',
  'greeting',
  'new_message_placeholder',
  'show_agent_availability',
  'agent_available_text',
  'agent_unavailable_text',
  'require_email_upfront',
  'is_open_by_default',
  'is_branding_hidden',
  'custom_icon_url',
  'iframe_url_override',
  'icon_variant',
  'email_input_placeholder',
  'new_messages_notification_text',
  'base_url',
  'away_message',
] as const;

/** What a widget reports about the page it runs on (`PUT /api/widget_settings/metadata`). */
export const ZWidgetMetadataInput = z.object({
  host: z.string().max(255).nullable().optional(),
  pathname: z.string().max(2048).nullable().optional(),
  last_seen_at: z.string().datetime({ offset: true, message: 'is invalid' }).nullable().optional(),
});
export type WidgetMetadataInput = z.infer<typeof ZWidgetMetadataInput>;

/**
 * The settings of (account, inbox), created with defaults on first read. The
 * caller guarantees the inbox belongs to the account. Safe under concurrency:
 * the unique (account_id, inbox_id) constraint makes the insert a no-op for the loser.
 */
export async function findOrCreateWidgetSettings(
  connection: DatabaseConnection,
  accountId: string,
  inboxId: string,
): Promise<WidgetSettingsRow> {
  await connection.query(sql.type(z.object({}).passthrough())`
    INSERT INTO widget_settings (account_id, inbox_id) VALUES (${accountId}, ${inboxId})
    ON CONFLICT ON CONSTRAINT widget_settings_account_inbox_unique DO NOTHING`);
  return connection.one(sql.type(ZWidgetSettingsRow)`
    SELECT ${columns} FROM widget_settings WHERE account_id = ${accountId} AND inbox_id = ${inboxId}`);
}

export async function listWidgetSettings(connection: DatabaseConnection, accountId: string): Promise<readonly WidgetSettingsRow[]> {
  return connection.any(sql.type(ZWidgetSettingsRow)`
    SELECT ${columns} FROM widget_settings WHERE account_id = ${accountId} ORDER BY inserted_at, id`);
}

/** Partial update of the editable fields (only those given). */
export async function updateWidgetSettings(
  connection: DatabaseConnection,
  accountId: string,
  inboxId: string,
  input: WidgetSettingsInput,
): Promise<WidgetSettingsRow> {
  await findOrCreateWidgetSettings(connection, accountId, inboxId);
  return connection.one(sql.type(ZWidgetSettingsRow)`
    UPDATE widget_settings SET ${setClause(input, EDITABLE)}
    WHERE account_id = ${accountId} AND inbox_id = ${inboxId} RETURNING ${columns}`);
}

/** Record where the widget runs: only host, pathname and last_seen_at change. */
export async function updateWidgetMetadata(
  connection: DatabaseConnection,
  accountId: string,
  inboxId: string,
  input: WidgetMetadataInput,
): Promise<WidgetSettingsRow> {
  await findOrCreateWidgetSettings(connection, accountId, inboxId);
  const patch = {
    host: input.host,
    pathname: input.pathname,
    last_seen_at:
      input.last_seen_at === undefined ? undefined : input.last_seen_at === null ? null : sql.timestamp(new Date(input.last_seen_at)),
  };
  return connection.one(sql.type(ZWidgetSettingsRow)`
    UPDATE widget_settings SET ${setClause(patch, ['host', 'pathname', 'last_seen_at'])}
    WHERE account_id = ${accountId} AND inbox_id = ${inboxId} RETURNING ${columns}`);
}

/** `widget_settings_view.ex` basic JSON. */
export function presentWidgetSettings(w: WidgetSettingsRow): WidgetSettings {
  return {
    id: w.id,
    object: 'widget_settings',
    account_id: w.account_id,
    inbox_id: w.inbox_id,
    created_at: iso(w.inserted_at),
    updated_at: iso(w.updated_at),
    title: w.title,
    subtitle: w.subtitle,
    color: w.color,
    greeting: w.greeting,
    new_message_placeholder: w.new_message_placeholder,
    show_agent_availability: w.show_agent_availability,
    agent_available_text: w.agent_available_text,
    agent_unavailable_text: w.agent_unavailable_text,
    require_email_upfront: w.require_email_upfront,
    is_open_by_default: w.is_open_by_default,
    custom_icon_url: w.custom_icon_url,
    iframe_url_override: w.iframe_url_override,
    icon_variant: w.icon_variant,
    email_input_placeholder: w.email_input_placeholder,
    new_messages_notification_text: w.new_messages_notification_text,
    is_branding_hidden: w.is_branding_hidden,
    base_url: w.base_url,
    away_message: w.away_message,
    host: w.host,
    pathname: w.pathname,
    last_seen_at: iso(w.last_seen_at),
  };
}
