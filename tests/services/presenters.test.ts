/**
 * Every presenter's output parses with its wire schema (gateway/protocol/wire) and carries no
 * field the schema does not declare, for rows with every nullable column null and rows with
 * every column set. The router checks the same on every response the suite makes
 * (NETIA_CHECK_RESPONSES, gateway/http/router.ts); this covers presenters directly, pure,
 * without services. Run alone with `npx ava tests/services/presenters.test.ts`.
 */
import test, { type ExecutionContext } from 'ava';
import type { z } from 'zod';
import * as wire from '../../gateway/protocol/wire/index.js';
import { isCustomerVisible, isPrivateMessage } from '../../gateway/protocol/index.js';
import { presentAccountBasic, presentAccountSettings } from '../../services/accounts/manage.js';
import type { AccountRow } from '../../services/accounts/index.js';
import { presentApiKey } from '../../services/api-keys/index.js';
import { presentBusinessContext } from '../../services/business-context/index.js';
import { presentCannedResponse } from '../../services/canned-responses/index.js';
import { presentCompany } from '../../services/companies/index.js';
import { presentSharedConversation } from '../../services/conversations/extras.js';
import { presentConversation, presentConversationRecord, recordFromRow, type ConversationRow } from '../../services/conversations/index.js';
import { presentCustomer } from '../../services/customers/index.js';
import { presentEventSubscription } from '../../services/event-subscriptions/index.js';
import { presentFile } from '../../services/files/index.js';
import { presentGmailConnection } from '../../services/gmail/store.js';
import { presentInbox } from '../../services/inboxes/index.js';
import { presentForwardingAddress } from '../../services/integrations/inbound-email.js';
import type { IntegrationSettings } from '../../services/integrations/config.js';
import { presentSlackIntegration } from '../../services/integrations/slack.js';
import { presentTwilioIntegration } from '../../services/integrations/sms.js';
import { presentSlackChannel, type IntegrationRow, type SlackChannelRow } from '../../services/integrations/store.js';
import { presentInvitation } from '../../services/invitations/index.js';
import { presentIssue } from '../../services/issues/index.js';
import { presentMailboxMessage, presentMailboxSummary } from '../../services/mail/mailbox.js';
import { presentMessage, type MessageRow } from '../../services/messages/index.js';
import { presentTag } from '../../services/tags/index.js';
import { presentUser, type UserRow } from '../../services/users/index.js';
import { presentProfile, presentUserSettings } from '../../services/users/manage.js';
import { presentDelivery } from '../../services/webhooks/deliveries.js';
import { presentWidgetSettings } from '../../services/widget-settings/index.js';
import { customerRow } from '../helpers/wire-samples.js';

const T = Date.parse('2026-01-02T03:04:05.678Z');
const ID = '0b8f3c1e-9a52-4c3e-8d55-6a7f1e2b3c4d';
const ACCOUNT = '5f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';

/** `value` parses with `schema`, and parsing drops nothing (no undeclared field) and changes nothing. */
function conforms(t: ExecutionContext, schema: z.ZodTypeAny, value: unknown, what: string): void {
  const json = JSON.parse(JSON.stringify(value)) as unknown;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    t.fail(`${what}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return;
  }
  t.deepEqual(JSON.parse(JSON.stringify(parsed.data)), json, `${what}: every field is declared`);
}

const user = (over: Partial<UserRow> = {}): UserRow => ({
  id: 7,
  email: 'ada@example.com',
  account_id: ACCOUNT,
  role: 'admin',
  disabled_at: null,
  archived_at: null,
  inserted_at: T,
  updated_at: T,
  full_name: null,
  display_name: null,
  profile_photo_url: null,
  ...over,
});
const userFull = user({ disabled_at: T, archived_at: T, full_name: 'Ada L', display_name: 'Ada', profile_photo_url: 'https://x/p.png' });

const conversation = (over: Partial<ConversationRow> = {}): ConversationRow => ({
  id: ID,
  account_id: ACCOUNT,
  customer_id: ID,
  inbox_id: null,
  status: 'open',
  priority: 'not_priority',
  read: false,
  source: 'chat',
  subject: null,
  assignee_id: null,
  snoozed_until: null,
  archived_at: null,
  closed_at: null,
  first_replied_at: null,
  last_activity_at: T,
  last_seq: 0,
  bot_active: false,
  seen_up_to_seq: 0,
  revision: 1,
  metadata: {},
  inserted_at: T,
  updated_at: T,
  ...over,
});

const message = (over: Partial<MessageRow> = {}): MessageRow => ({
  id: ID,
  conversation_id: ID,
  account_id: ACCOUNT,
  seq: 1,
  client_message_id: null,
  body: null,
  type: 'reply',
  private: false,
  source: 'chat',
  content_type: 'text',
  subject: null,
  customer_id: null,
  user_id: null,
  sent_at: null,
  client_sent_at: null,
  seen_at: null,
  metadata: {},
  inserted_at: T,
  updated_at: T,
  user: null,
  attachments: [],
  customer: null,
  ...over,
});

const account: AccountRow = {
  id: ACCOUNT,
  company_name: 'Acme',
  company_logo_url: null,
  time_zone: null,
  subscription_plan: 'starter',
  working_hours: [{ day: 'monday', start_minute: 540, end_minute: 1020 }],
  settings: {},
  allowed_origins: [],
  require_identity_verification: false,
  ai_enabled: false,
  inserted_at: T,
  updated_at: T,
};

const integration: IntegrationRow = {
  id: ID,
  account_id: ACCOUNT,
  provider: 'slack',
  external_id: 'T123',
  phone_number: null,
  inbox_id: null,
  settings: {},
  secret_box: 'x',
  inserted_at: T,
  updated_at: T,
};
const slackChannel: SlackChannelRow = {
  id: ID,
  account_id: ACCOUNT,
  integration_id: ID,
  inbox_id: ID,
  team_id: 'T123',
  channel_id: 'C1',
  channel_name: null,
  kind: 'support',
  inserted_at: T,
};

test('people: users, profiles, settings and customers, with nulls and with values', (t) => {
  conforms(t, wire.userSchema, presentUser(user()), 'user (nulls)');
  conforms(t, wire.userSchema, presentUser(userFull), 'user (values)');
  const profile = {
    user_id: 7,
    full_name: null,
    display_name: null,
    profile_photo_url: null,
    slack_user_id: null,
    signature: null,
    inserted_at: T,
    updated_at: T,
  };
  conforms(t, wire.userProfileSchema, presentProfile(user(), profile), 'profile (nulls)');
  conforms(
    t,
    wire.userProfileSchema,
    presentProfile(userFull, { ...profile, full_name: 'A', slack_user_id: 'U1', signature: 'A\nSupport' }),
    'profile (values)',
  );
  const settings = {
    user_id: 7,
    email_alert_on_new_message: true,
    email_alert_on_new_conversation: false,
    email_alert_on_mention: true,
    email_alert_on_sla: false,
    desktop_notifications: true,
    notification_sound: false,
    notify_on_new_conversation: true,
    notify_on_new_message: true,
    notify_on_mention: false,
    expo_push_token: null,
    inserted_at: T,
    updated_at: T,
  };
  conforms(t, wire.userSettingsSchema, presentUserSettings(settings), 'user settings');
  conforms(t, wire.customerSchema, presentCustomer(customerRow({ id: ID, account_id: ACCOUNT })), 'customer (nulls)');
  const full = customerRow({
    id: ID,
    account_id: ACCOUNT,
    name: 'Bo',
    email: 'bo@x.io',
    phone: '+1',
    company_id: ID,
    metadata: { plan: 'pro', n: 1 },
  });
  conforms(t, wire.customerSchema, presentCustomer(full), 'customer (values)');
});

test('messages: agent, customer and system authors; attachments; the wire helpers agree with `private`', (t) => {
  const byAgent = presentMessage(message({ user_id: 7, user: userFull, body: 'hi', client_sent_at: 'whenever', sent_at: T, seen_at: T }));
  conforms(t, wire.messageSchema, byAgent, 'agent message');
  t.false('customer' in byAgent, 'no customer key on an agent message');
  const byCustomer = presentMessage(
    message({
      customer_id: ID,
      customer: { id: ID, name: null, email: null, profile_photo_url: null },
      attachments: [{ id: ID, filename: 'a.png', content_type: 'image/png', size_bytes: 3 }],
    }),
  );
  conforms(t, wire.messageSchema, byCustomer, 'customer message');
  t.is(byCustomer.customer?.title, 'Anonymous User');
  const note = presentMessage(message({ type: 'note', private: true, user_id: 7, user: user() }));
  conforms(t, wire.messageSchema, note, 'note');
  const reminder = presentMessage(message({ type: 'system', private: true }));
  t.true(isPrivateMessage(note) && isPrivateMessage(reminder) && !isCustomerVisible(reminder));
  t.true(isCustomerVisible(byAgent) && isCustomerVisible(byCustomer));
  t.true(isPrivateMessage({ type: 'note' }), 'a note asked for without private is private');
  conforms(t, wire.webhookBodySchema, { event: 'message:created', payload: byCustomer }, 'message:created webhook');
  conforms(
    t,
    wire.fileSchema,
    presentFile({ id: ID, filename: 'a b.pdf', content_type: 'application/pdf', size_bytes: 1, inserted_at: T }),
    'file',
  );
});

test('conversations: basic, from the workflow record, shared view, socket events', (t) => {
  const row = conversation();
  conforms(t, wire.conversationSchema, presentConversation(row), 'conversation (nulls)');
  const full = conversation({
    inbox_id: ID,
    subject: 'S',
    assignee_id: 7,
    snoozed_until: T,
    archived_at: T,
    closed_at: T,
    first_replied_at: T,
  });
  conforms(t, wire.conversationSchema, presentConversation(full), 'conversation (values)');
  conforms(t, wire.conversationSchema, presentConversationRecord(recordFromRow(full)), 'conversation from the record');
  conforms(
    t,
    wire.conversationUpdatedEventSchema,
    { id: ID, updates: presentConversationRecord(recordFromRow(row)) },
    'conversation:updated',
  );
  const shared = presentSharedConversation(full, { name: null }, [
    message({ user: userFull, user_id: 7 }),
    message({ customer: { id: ID, name: 'Bo', email: null, profile_photo_url: null }, customer_id: ID }),
    message({ type: 'system' }),
    message({ type: 'note', private: true }),
  ]);
  conforms(t, wire.sharedConversationSchema, shared, 'shared conversation');
  t.is(shared.messages.length, 3, 'the private note is left out');
});

test('account, inboxes, widget settings, business context', (t) => {
  conforms(t, wire.accountBasicSchema, presentAccountBasic(account, false, T), 'account');
  conforms(t, wire.accountSettingsSchema, presentAccountSettings({}), 'account settings (unset)');
  conforms(
    t,
    wire.accountSettingsSchema,
    presentAccountSettings({ disable_automated_reply_emails: true, conversation_reminder_hours_interval: 24 }),
    'account settings (set)',
  );
  const inbox = {
    id: ID,
    account_id: ACCOUNT,
    name: 'Main',
    description: null,
    is_primary: true,
    is_private: false,
    inserted_at: T,
    updated_at: T,
  };
  conforms(t, wire.inboxSchema, presentInbox(inbox), 'inbox');
  const widget = {
    id: ID,
    account_id: ACCOUNT,
    inbox_id: ID,
    title: null,
    subtitle: null,
    color: null,
    greeting: null,
    new_message_placeholder: null,
    show_agent_availability: false,
    agent_available_text: null,
    agent_unavailable_text: null,
    require_email_upfront: false,
    is_open_by_default: false,
    is_branding_hidden: false,
    custom_icon_url: null,
    iframe_url_override: null,
    icon_variant: 'outlined',
    email_input_placeholder: null,
    new_messages_notification_text: null,
    base_url: null,
    away_message: null,
    host: null,
    pathname: null,
    last_seen_at: null,
    inserted_at: T,
    updated_at: T,
  };
  conforms(t, wire.widgetSettingsSchema, presentWidgetSettings(widget), 'widget settings');
  const context = {
    id: ID,
    account_id: ACCOUNT,
    business_name: 'Acme',
    business_description: null,
    services: {},
    scheduling_link: null,
    faqs: {},
    additional_context: null,
    inserted_at: T,
    updated_at: T,
  };
  conforms(t, wire.businessContextSchema, presentBusinessContext(context), 'business context');
});

test('records: companies, issues, tags, canned responses, invitations, API keys', (t) => {
  const company = {
    id: ID,
    account_id: ACCOUNT,
    name: 'Co',
    external_id: null,
    website_url: null,
    description: null,
    logo_image_url: null,
    industry: null,
    slack_channel_id: null,
    slack_channel_name: null,
    slack_team_id: null,
    slack_team_name: null,
    metadata: {},
    inserted_at: T,
    updated_at: T,
  };
  conforms(t, wire.companySchema, presentCompany(company), 'company');
  const issue = {
    id: ID,
    account_id: ACCOUNT,
    title: 'Bug',
    body: null,
    state: 'unstarted' as const,
    github_issue_url: null,
    finished_at: null,
    closed_at: null,
    metadata: {},
    creator_id: null,
    assignee_id: null,
    inserted_at: T,
    updated_at: T,
  };
  conforms(t, wire.issueEventSchema, presentIssue(issue), 'issue');
  const tag = { id: ID, account_id: ACCOUNT, name: 'vip', description: null, color: null, creator_id: null, inserted_at: T, updated_at: T };
  conforms(t, wire.tagSchema, presentTag(tag), 'tag');
  conforms(
    t,
    wire.cannedResponseSchema,
    presentCannedResponse({ id: ID, account_id: ACCOUNT, name: 'n', content: 'c', inserted_at: T, updated_at: T }),
    'canned response',
  );
  const invitation = {
    id: ID,
    account_id: ACCOUNT,
    email: null,
    invited_by_id: null,
    expires_at: T,
    accepted_at: null,
    accepted_by_id: null,
    inserted_at: T,
    updated_at: T,
  };
  conforms(t, wire.invitationSchema, presentInvitation(invitation), 'invitation');
  conforms(t, wire.invitationSchema, presentInvitation(invitation, 'tok'), 'invitation with its token');
  const key = {
    id: ID,
    account_id: ACCOUNT,
    user_id: 7,
    label: 'ci',
    key_prefix: 'ntk_ab',
    scope: 'read' as const,
    last_used_at: null,
    inserted_at: T,
    updated_at: T,
  };
  conforms(t, wire.apiKeySchema, presentApiKey(key), 'API key');
});

test('outbound: event subscriptions, deliveries, integrations, mail', (t) => {
  const sub = {
    id: ID,
    account_id: ACCOUNT,
    webhook_url: 'https://h.example/x',
    verified: false,
    scope: null,
    verified_at: null,
    last_verification_error: null,
    created_by_user_id: null,
    created_by_email: null,
    inserted_at: T,
    updated_at: T,
  };
  conforms(t, wire.eventSubscriptionSchema, presentEventSubscription(sub), 'event subscription (no creator)');
  conforms(
    t,
    wire.eventSubscriptionSchema,
    presentEventSubscription({ ...sub, created_by_user_id: 7 }),
    'event subscription (creator gone)',
  );
  const delivery = {
    id: ID,
    account_id: ACCOUNT,
    subscription_id: ID,
    event: 'message:created',
    status: 'failed' as const,
    attempts: 3,
    response_code: null,
    last_error: 'timeout',
    inserted_at: T,
    updated_at: T,
    delivered_at: null,
    position_us: '1',
  };
  conforms(t, wire.webhookDeliverySchema, presentDelivery(delivery), 'delivery');
  const gmail = {
    id: ID,
    account_id: ACCOUNT,
    inbox_id: ID,
    inbox_name: null,
    email: 'a@b.c',
    refresh_token_enc: 'x',
    access_token_enc: null,
    access_token_expires_at: null,
    scope: 's',
    history_id: null,
    last_synced_at: null,
    last_error: null,
    connected_by: null,
    inserted_at: T,
  };
  conforms(t, wire.gmailConnectionSchema, presentGmailConnection(gmail), 'gmail connection');
  conforms(t, wire.slackChannelSchema, presentSlackChannel(slackChannel), 'slack channel');
  conforms(t, wire.slackIntegrationSchema, presentSlackIntegration(integration, [slackChannel]), 'slack integration (no settings)');
  conforms(
    t,
    wire.slackIntegrationSchema,
    presentSlackIntegration({ ...integration, settings: { team_name: 'Acme', bot_user_id: 'B', app_id: 'A', scope: 'chat:write' } }, []),
    'slack integration',
  );
  const settings = { publicUrl: 'https://netia.example' } as unknown as IntegrationSettings;
  conforms(t, wire.twilioIntegrationSchema, presentTwilioIntegration({ ...integration, provider: 'twilio' }, settings), 'twilio');
  const forwarding = {
    id: ID,
    account_id: ACCOUNT,
    inbox_id: null,
    forwarding_email_address: 'x@in.example',
    source_email_address: null,
    description: null,
    inserted_at: T,
    updated_at: T,
  };
  conforms(t, wire.forwardingAddressSchema, presentForwardingAddress(forwarding), 'forwarding address');
  const mail = { id: ID, kind: 'reply', recipients: ['a@b.c'], sender: 'n@x', subject: 'S', inserted_at: T };
  conforms(t, wire.mailboxSummarySchema, presentMailboxSummary(mail), 'mailbox summary');
  conforms(t, wire.mailboxMessageSchema, presentMailboxMessage({ ...mail, headers: { a: 'b' }, text_body: 't', html_body: null }), 'mail');
});
