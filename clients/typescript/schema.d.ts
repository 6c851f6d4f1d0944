/**
 * Generated from docs/openapi.json by clients/typescript/generate.ts (openapi-typescript): do not edit.
 * Regenerate with `npm run build:client`; `NETIA_WRITE_API_DOCS=1 npm test -- tests/gateway/api-docs.test.ts`
 * rewrites docs/api.md, docs/openapi.json and this file from the routes the gateway serves.
 */
/* eslint-disable */
export interface paths {
  '/api/ping': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Health check; echoes its parameters */
    get: operations['getApiPing'];
    put?: never;
    /** Health check; echoes its parameters */
    post: operations['postApiPing'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/registration': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create an account with its admin user and primary inbox, or join an account with user.invite_token (role user); returns session tokens */
    post: operations['postApiRegistration'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/session': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Log in with email and password */
    post: operations['postApiSession'];
    /** Log out: revoke the access token and its renew token */
    delete: operations['deleteApiSession'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/session/renew': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Exchange a renew token (Authorization header) for a new token pair; the renew token is single-use */
    post: operations['postApiSessionRenew'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/sessions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Log out everywhere: revoke every session (access and renew tokens) of the caller, this one included; their open sockets are closed */
    delete: operations['deleteApiSessions'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The authenticated agent */
    get: operations['getApiMe'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/verify_email': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Confirm an email address with the token of its verification link (valid 7 days; a reused link answers "already verified") */
    post: operations['postApiVerifyEmail'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/verify_email/resend': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send a new verification link to your address (at most EMAIL_VERIFICATION_PER_HOUR per hour; nothing when already verified) */
    post: operations['postApiVerifyEmailResend'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/customers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your customers, most recently seen first, each with its tags and latest conversation: page pagination (page, page_size or limit; default 50, max 100) or keyset (after = the previous page's next), filters, format=csv */
    get: operations['getApiCustomers'];
    put?: never;
    /** Create a customer (public for widgets, scoped to account_id; agents create in their own account) */
    post: operations['postApiCustomers'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Conversations of your account, newest activity first, keyset-paginated (limit ≤ 50, after/before cursors); each with its customer, latest message and tags; tag_id filters by tag */
    get: operations['getApiConversations'];
    put?: never;
    /** Start a conversation (public for widgets; an optional first message is posted through the workflow) */
    post: operations['postApiConversations'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/count': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** How many conversations of your account match the filters */
    get: operations['getApiConversationsCount'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/unread': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Unread counters for the sidebar: open, assigned (to you), priority, unassigned, closed, snoozed, and open per inbox; tag_id counts only conversations with that tag */
    get: operations['getApiConversationsUnread'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/messages/count': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** How many messages of your account match the filters (conversation_id, customer_id, user_id, source, type, private, body as an ILIKE pattern) */
    get: operations['getApiMessagesCount'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/messages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Messages of one of your conversations in seq order: after_seq (resume), before_seq (scroll back), or the newest; limit ≤ 200. Without conversation_id, or with any of customer_id, user_id, source, type, private, body (an ILIKE pattern): the account's matching messages, newest first */
    get: operations['getApiMessages'];
    put?: never;
    /** Post a message (or a private note) in one of your conversations, through the conversation workflow: as yourself, or as a customer of your account with customer_id (then not with user_id: 422; not a customer of your account: 403); optional metadata, subject, source and sent_at */
    post: operations['postApiMessages'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/search': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Search messages (private notes included), customers and customer notes of your account: ranked hits with highlighted snippets (plain-text segments), filters on the conversation, a cursor per group */
    get: operations['getApiSearch'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/shared': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A conversation shared by link (token valid 24 h, revocable): the customer's name and the public messages, without private notes */
    get: operations['getApiConversationsShared'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A conversation with its customer, its tags and all messages (private notes included) in seq order; archived ones included (archived_at set) */
    get: operations['getApiConversationsId'];
    /** Change status (open/closed), snooze, priority, assignee, inbox, subject or read mark, through the workflow */
    put: operations['putApiConversationsId'];
    post?: never;
    /** Delete a conversation of your account with its messages (admin only; 204). Its workflow is terminated first ("Conversation deleted by user <id> (<email>)"); 503 and nothing deleted when that fails */
    delete: operations['deleteApiConversationsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/archive': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Archive now: hidden from lists; a new customer message restores it */
    post: operations['postApiConversationsIdArchive'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/hand_back': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Hand the conversation back to the AI assistant (it answers a waiting customer at once) */
    post: operations['postApiConversationsIdHandBack'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/customer': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A widget's history: the customer's (up to 3) most recent open chat conversations, newest first, each with its newest public messages (PUBLIC_HISTORY_MAX_MESSAGES at most); older ones with before_seq (and conversation_id) */
    get: operations['getApiConversationsCustomer'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/messages/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A message of your account. Messages are immutable events of their conversation: there is no PUT or DELETE */
    get: operations['getApiMessagesId'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/share': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A signed token (valid 24 h, revocable) for GET /api/conversations/shared, a read-only view without private notes */
    post: operations['postApiConversationsIdShare'];
    /** Revoke every share link of a conversation of your account; the links then answer 404 */
    delete: operations['deleteApiConversationsIdShare'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/previous': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The customer's previous (created earlier) non-archived conversation with all its messages, or null */
    get: operations['getApiConversationsIdPrevious'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/related': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The customer's other non-archived conversations (limit, default 3, at most 20), newest first, each with only its latest message */
    get: operations['getApiConversationsIdRelated'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/tags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Tag one of your conversations with one of your tags (idempotent) */
    post: operations['postApiConversationsIdTags'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/tags/{tag_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a tag from one of your conversations (idempotent) */
    delete: operations['deleteApiConversationsIdTagsTagId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/scheduled_messages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A conversation's scheduled messages and follow-ups: pending ones by time, then the latest sent or cancelled */
    get: operations['getApiConversationsIdScheduledMessages'];
    put?: never;
    /** Schedule a message for later, or a follow-up (cancel_on_customer_reply: cancelled when the customer writes first; close_conversation: close when it fires). Idempotent per agent by client_id */
    post: operations['postApiConversationsIdScheduledMessages'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/scheduled_messages/{scheduled_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Change the time of a pending scheduled message (409 once it was sent or cancelled) */
    put: operations['putApiConversationsIdScheduledMessagesScheduledId'];
    post?: never;
    /** Cancel a pending scheduled message (409 once it was sent or cancelled); answers it, cancelled */
    delete: operations['deleteApiConversationsIdScheduledMessagesScheduledId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/upload': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Upload a file (multipart: `file`, `account_id`, optional `customer_id`); returns the file to attach with `file_ids` */
    post: operations['postApiUpload'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/upload/limits': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What `POST /api/upload` accepts: the largest file, the content types, the files per message */
    get: operations['getApiUploadLimits'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/files/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Download an uploaded file (the id is the capability); files in S3 answer 302 to a short-lived presigned URL */
    get: operations['getApiFilesId'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/files/{id}/{filename}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Download an uploaded file under its name */
    get: operations['getApiFilesIdFilename'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/accounts/me/security': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's widget security: identity verification, customer token, allowed origins (admin only) */
    get: operations['getApiAccountsMeSecurity'];
    /** Change your account's widget security (admin only): require_identity_verification, require_customer_token, allowed_origins (origins such as https://example.com: scheme, host, optional port, no path; empty = any origin) */
    put: operations['putApiAccountsMeSecurity'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/accounts/me/identity_verification_secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The key of user_hash = hex HMAC-SHA256(external_id, secret), generated on first use (admin only; keep it on your server) */
    get: operations['getApiAccountsMeIdentityVerificationSecret'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/accounts/me/identity_verification_secret/rotate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Replace the identity secret with a new one (admin only): every user_hash made with the old secret fails from now on */
    post: operations['postApiAccountsMeIdentityVerificationSecretRotate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/accounts/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's account with its users, widget settings, working hours and whether it is outside them now */
    get: operations['getApiAccountsMe'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/accounts/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Edit the account (admin only; :id must be your account). Billing fields are not editable. */
    put: operations['putApiAccountsId'];
    post?: never;
    /** Delete the account and everything in it (admin only; body {"confirm": "<company name>"}); its conversation workflows are terminated first */
    delete: operations['deleteApiAccountsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Users of your account (disabled ones hidden unless active=false); filters email, role, active, has_valid_email */
    get: operations['getApiUsers'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A user of your account (another account’s user is 404) */
    get: operations['getApiUsersId'];
    put?: never;
    post?: never;
    /** Delete yourself (only your own user; never the last active admin); your open conversations are unassigned (an admin removes others: POST /api/users/:id/remove) */
    delete: operations['deleteApiUsersId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users/{id}/remove': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Remove a user of your account (admin only; not yourself; never the last active admin); reassign_to: a teammate for their open conversations, or null to unassign them */
    post: operations['postApiUsersIdRemove'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users/{id}/open_conversations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** How many open (or snoozed) conversations a user of your account holds (admin only) */
    get: operations['getApiUsersIdOpenConversations'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users/{id}/disable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Disable a user (admin only; not yourself; never the last active admin); their sessions and API keys stop working at once; their open conversations go to reassign_to, are unassigned (default) or kept (keep_conversations) */
    post: operations['postApiUsersIdDisable'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users/{id}/enable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Enable a disabled user (admin only; not yourself) */
    post: operations['postApiUsersIdEnable'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users/{id}/archive': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Archive a user (admin only; not yourself; never the last active admin); their open conversations go to reassign_to, are unassigned (default) or kept (keep_conversations) */
    post: operations['postApiUsersIdArchive'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users/{id}/role': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Set a user's role to user or admin (admin only; the last active admin cannot be demoted) */
    put: operations['putApiUsersIdRole'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/profile': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's profile (created on first read) */
    get: operations['getApiProfile'];
    /** Edit the caller's profile */
    put: operations['putApiProfile'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/user_settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's notification settings (created on first read) */
    get: operations['getApiUserSettings'];
    /** Edit the caller's notification settings */
    put: operations['putApiUserSettings'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/push/vapid_public_key': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The deployment's VAPID public key (the applicationServerKey to subscribe with) */
    get: operations['getApiPushVapidPublicKey'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/push_subscriptions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's push subscriptions (one per device) */
    get: operations['getApiPushSubscriptions'];
    put?: never;
    /** Register this browser's push subscription for the caller (same endpoint again: updated, moved to the caller) */
    post: operations['postApiPushSubscriptions'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/push_subscriptions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove one of the caller's push subscriptions (that device gets no more pushes) */
    delete: operations['deleteApiPushSubscriptionsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/customers/identify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Find the customer id of a known external id in an account (widgets) */
    get: operations['getApiCustomersIdentify'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/customers/{id}/exists': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Whether a customer id still exists (in account_id when given); widgets forget ids answered false */
    get: operations['getApiCustomersIdExists'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/customers/{id}/metadata': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** A widget reports its visitor's details; the customer id is the capability. Widget-safe fields only. */
    put: operations['putApiCustomersIdMetadata'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/customers/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A customer of your account with its tags and company (always); expand[]=conversations|notes|issues|messages adds those (messages: the newest 100 it sent) */
    get: operations['getApiCustomersId'];
    /** Edit a customer of your account (its account never changes) */
    put: operations['putApiCustomersId'];
    post?: never;
    /** Delete a customer of your account with its conversations (their workflows are terminated first), notes and tags (admin only) */
    delete: operations['deleteApiCustomersId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/tags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's tags */
    get: operations['getApiTags'];
    put?: never;
    /** Create a tag (name unique in the account) */
    post: operations['postApiTags'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/tags/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A tag of your account */
    get: operations['getApiTagsId'];
    /** Edit a tag of your account */
    put: operations['putApiTagsId'];
    post?: never;
    /** Delete a tag of your account (it is removed from every customer and conversation; the open conversations it was on run their tag rules as for a removal) */
    delete: operations['deleteApiTagsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/customers/{id}/tags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Tag a customer (idempotent); both must be in your account */
    post: operations['postApiCustomersIdTags'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/customers/{id}/tags/{tag_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a tag from a customer of your account */
    delete: operations['deleteApiCustomersIdTagsTagId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/notes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's notes, newest first (filters customer_id, author_id), with author and customer */
    get: operations['getApiNotes'];
    put?: never;
    /** Write a note about a customer of your account */
    post: operations['postApiNotes'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/notes/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A note of your account */
    get: operations['getApiNotesId'];
    /** Edit a note of your account (body and content type) */
    put: operations['putApiNotesId'];
    post?: never;
    /** Delete a note of your account */
    delete: operations['deleteApiNotesId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/canned_responses': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's saved replies */
    get: operations['getApiCannedResponses'];
    put?: never;
    /** Create a saved reply (name unique in the account) */
    post: operations['postApiCannedResponses'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/canned_responses/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A saved reply of your account */
    get: operations['getApiCannedResponsesId'];
    /** Edit a saved reply of your account */
    put: operations['putApiCannedResponsesId'];
    post?: never;
    /** Delete a saved reply of your account */
    delete: operations['deleteApiCannedResponsesId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/inboxes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's inboxes, primary first */
    get: operations['getApiInboxes'];
    put?: never;
    /** Create an inbox (is_primary moves the primary flag to it) */
    post: operations['postApiInboxes'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/inboxes/primary': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's primary inbox */
    get: operations['getApiInboxesPrimary'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/inboxes/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An inbox of your account */
    get: operations['getApiInboxesId'];
    /** Edit an inbox of your account */
    put: operations['putApiInboxesId'];
    post?: never;
    /** Delete an inbox of your account; refused for the primary inbox and for an inbox with conversations */
    delete: operations['deleteApiInboxesId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/inboxes/{id}/settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An inbox's automatic assignment (on/off, cap per agent, rotation, members) and AI switch */
    get: operations['getApiInboxesIdSettings'];
    /** Change an inbox's automatic assignment and AI switch (admin only). `member_ids` replaces the inbox's members; rotation `members` picks only among them (it needs at least one), `all_agents` among every enabled agent; either way only agents online and under `auto_assign_max_open` (0 = no cap). `ai_enabled` null follows the account. */
    put: operations['putApiInboxesIdSettings'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/business_context': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's business context (bare object; 404 {error} when there is none) */
    get: operations['getApiBusinessContext'];
    /** Update the business context, creating it when missing (admin only; bare object) */
    put: operations['putApiBusinessContext'];
    /** Create the business context (admin only; 200, bare object; a second one is 422) */
    post: operations['postApiBusinessContext'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/ai/test': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Admin only. Ask the AI assistant a sample customer question with your account's business context (or `business_context` fields laid over it, unsaved) and get its answer: `{data: {kind: "reply"|"handoff", answer, handoff_reason, context_source: "saved"|"draft"|"none", ai_enabled, model, usage}}`. Creates no conversation. 409 when the server has no model configured, 429 over the per-account limit, 502 when the model fails. */
    post: operations['postApiAiTest'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/accounts/me/copilot': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The AI copilot of your account: `enabled` (the account's switch, on by default), `configured` (the server has a model), `available` (both: the console shows it) and the per-account `limit` */
    get: operations['getApiAccountsMeCopilot'];
    /** Turn the AI copilot on or off for your account (admin only): `{"copilot": {"enabled": false}}` */
    put: operations['putApiAccountsMeCopilot'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/summary': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The conversation's newest AI summary (null when none), whether newer messages exist (`has_newer_messages`: offer Refresh) and whether a summary for the next agent is due after a handoff or assignment (`should_generate`). No model call. */
    get: operations['getApiConversationsIdSummary'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/copilot/summary': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Summarize the conversation for the next agent with the AI model and store it (`trigger: "manual"`, the default), or only when one is due after a handoff (`trigger: "handoff"`: otherwise the current state, no model call). Answers the summary state; `generated` says whether the model was called. 409 without a model or with the copilot off, 429 over the limit, 502 when the model fails. */
    post: operations['postApiConversationsIdCopilotSummary'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/copilot/suggest': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A draft of the agent's next reply from the conversation's recent public messages, grounded in the account's business context and saved replies. Never sent or stored: the console puts it in the reply box. 409 without a model or with the copilot off, 422 without messages, 429 over the limit, 502 when the model fails. */
    post: operations['postApiConversationsIdCopilotSuggest'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/copilot/improve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Rewrite the agent's reply `text`: `mode` friendlier, more_formal, shorter, fix_grammar, or translate (into the language of the customer of `conversation_id`: their messages, else their browser language). Never sent or stored. 404 for another account's conversation. */
    post: operations['postApiCopilotImprove'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/widget_settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The widget's settings for an account (and inbox), with the account's working hours; created on first read */
    get: operations['getApiWidgetSettings'];
    /** Edit your account's widget settings (for inbox_id, else the primary inbox); only the fields given change. The URL fields (custom_icon_url: https or this server; iframe_url_override and base_url: this server) are for admins only */
    put: operations['putApiWidgetSettings'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/widget_settings/metadata': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** A widget reports the page it runs on (host, pathname, last_seen_at only) */
    put: operations['putApiWidgetSettingsMetadata'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/personal_api_keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your personal API keys (values are never shown again after creation) */
    get: operations['getApiPersonalApiKeys'];
    put?: never;
    /** Create a personal API key for /api/v1 (Authorization: Bearer <value>); the value is shown only in this response. scope: read (GET only), write (read + non-admin changes) or admin (all your role allows; the default) */
    post: operations['postApiPersonalApiKeys'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/personal_api_keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One of your personal API keys */
    get: operations['getApiPersonalApiKeysId'];
    put?: never;
    post?: never;
    /** Revoke one of your personal API keys (effective on the next request) */
    delete: operations['deleteApiPersonalApiKeysId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/user_invitations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's invitations (admin only) */
    get: operations['getApiUserInvitations'];
    put?: never;
    /** Invite someone to your account (admin only); valid 3 days, single use; the token is shown only in this response */
    post: operations['postApiUserInvitations'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/user_invitation_emails': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Invite someone by email (admin only): creates an invitation for to_address and mails them the link, once */
    post: operations['postApiUserInvitationEmails'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/user_invitations/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An invitation of your account (admin only) */
    get: operations['getApiUserInvitationsId'];
    /** Change the email or expiry of an invitation of your account (admin only) */
    put: operations['putApiUserInvitationsId'];
    post?: never;
    /** Withdraw an invitation of your account (admin only) */
    delete: operations['deleteApiUserInvitationsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/reset_password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Set a new password with a reset token (valid one hour, single use; ends every session) */
    put: operations['putApiResetPassword'];
    /** Request a password reset link by email (always answers ok) */
    post: operations['postApiResetPassword'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/dev/mailbox': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Development only (SMTP_URL unset): the emails your account sent, newest first (at most 200; admin only) */
    get: operations['getApiDevMailbox'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/dev/mailbox/latest': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Development only: the newest email of your account to an address, with headers, text and HTML (admin only) */
    get: operations['getApiDevMailboxLatest'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/dev/mailbox/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Development only: one email of your account as sent, with headers, text and HTML (admin only) */
    get: operations['getApiDevMailboxId'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/event_subscriptions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's webhook subscriptions */
    get: operations['getApiEventSubscriptions'];
    put?: never;
    /** Subscribe a webhook URL to your account’s events (admin only); the URL is verified (challenge POST) before the answer, which carries the signing secret */
    post: operations['postApiEventSubscriptions'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/event_subscriptions/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send the verification challenge to a URL and say whether it answered it (admin only; nothing is stored) */
    post: operations['postApiEventSubscriptionsVerify'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/event_subscriptions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A webhook subscription of your account */
    get: operations['getApiEventSubscriptionsId'];
    /** Edit a webhook subscription of your account (admin only; a new URL is verified again before the answer; other edits keep it verified) */
    put: operations['putApiEventSubscriptionsId'];
    post?: never;
    /** Delete a webhook subscription of your account (admin only; deliveries in progress stop; its delivery log goes with it) */
    delete: operations['deleteApiEventSubscriptionsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/event_subscriptions/{id}/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Run the verification handshake again for a subscription’s URL (admin only; after fixing the receiver) */
    post: operations['postApiEventSubscriptionsIdVerify'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/event_subscriptions/{id}/signing_secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The subscription’s signing secret (admin only; HMAC-SHA256 key of the X-Netia-Signature header) */
    get: operations['getApiEventSubscriptionsIdSigningSecret'];
    put?: never;
    /** Replace the subscription’s signing secret (admin only); every request from now on (retries included) is signed with the new one */
    post: operations['postApiEventSubscriptionsIdSigningSecret'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/event_subscriptions/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The subscription’s delivery log, newest first: one entry per delivery (retries update it), keyset-paginated (limit ≤ 100, default 25; next cursor in `next`), optional status filter */
    get: operations['getApiEventSubscriptionsIdDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/accounts/me/csat': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's satisfaction survey settings (off until an admin switches them on) */
    get: operations['getApiAccountsMeCsat'];
    /** Change the satisfaction survey settings (admin only): enabled, scale five|thumbs, delay_minutes (0–10080), question */
    put: operations['putApiAccountsMeCsat'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/ratings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A conversation's satisfaction surveys and ratings, one per resolution, newest first */
    get: operations['getApiConversationsIdRatings'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/customers/{id}/ratings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A customer's satisfaction surveys and ratings across their conversations, newest first */
    get: operations['getApiCustomersIdRatings'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/reporting/csat': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** CSAT of surveys sent between from_date and to_date (≤ 366 days): average score, response rate, per agent, by day */
    get: operations['getApiReportingCsat'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/customers/{id}/csat_surveys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The widget's open satisfaction surveys of its customer (account_id required), newest first, each with its rating token */
    get: operations['getApiCustomersIdCsatSurveys'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/csat/{token}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The survey a signed rating token names (404 when forged, altered or expired) */
    get: operations['getApiCsatToken'];
    put?: never;
    /** Rate (or re-rate, within the rating window) the survey a signed token names: score 1–5 (thumbs: 1 or 5), optional comment */
    post: operations['postApiCsatToken'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/csat/{token}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The rating page of an email survey (HTML form; ?score preselects a score and records nothing) */
    get: operations['getCsatToken'];
    put?: never;
    /** The rating page's form (urlencoded score and comment); answers the page with a thank-you */
    post: operations['postCsatToken'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/sla_policies': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's SLA policies, in the order they are tried */
    get: operations['getApiSlaPolicies'];
    put?: never;
    /** Create an SLA policy (admin only): name, targets in working minutes (first response, next response, resolution; at least one), optional inbox/priority/tag conditions, warning lead time, escalation agent */
    post: operations['postApiSlaPolicies'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/sla_policies/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An SLA policy of your account */
    get: operations['getApiSlaPoliciesId'];
    /** Change an SLA policy (admin only); null clears a condition or target. Running clocks keep the targets they started with */
    put: operations['putApiSlaPoliciesId'];
    post?: never;
    /** Delete an SLA policy (admin only). Running clocks keep the targets they started with */
    delete: operations['deleteApiSlaPoliciesId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/sla/targets': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Open SLA clocks of your account's live conversations, soonest due first, paused last (at most 500); breaching_within_minutes: only those due within that many minutes or overdue */
    get: operations['getApiSlaTargets'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/sla': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A conversation's SLA clocks (open and completed), newest first */
    get: operations['getApiConversationsIdSla'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/reporting/sla': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** SLA attainment of clocks completed between from_date and to_date (≤ 366 days): met, breached, share met; per metric, policy, agent and inbox */
    get: operations['getApiReportingSla'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/automation/rules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's automation rules, in the order they run (position, then id) */
    get: operations['getApiAutomationRules'];
    put?: never;
    /** Create an automation rule (admin only): trigger, conditions (all must hold), actions (run in order) */
    post: operations['postApiAutomationRules'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/automation/rules/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Replace an automation rule (admin only); running conversations use it from their next event */
    put: operations['putApiAutomationRulesId'];
    post?: never;
    /** Delete an automation rule (admin only) */
    delete: operations['deleteApiAutomationRulesId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/automation/macros': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's macros (named action sequences agents run on a conversation) */
    get: operations['getApiAutomationMacros'];
    put?: never;
    /** Create a macro (admin only): name, optional one-key shortcut (Alt+key in the console), actions */
    post: operations['postApiAutomationMacros'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/automation/macros/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Replace a macro (admin only) */
    put: operations['putApiAutomationMacrosId'];
    post?: never;
    /** Delete a macro (admin only) */
    delete: operations['deleteApiAutomationMacrosId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/automation/preview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Test rules against one of your conversations (admin only): for a trigger, which saved rules (or the unsaved `rule`) would run now, each condition with its outcome. Changes nothing */
    post: operations['postApiAutomationPreview'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/automation_log': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A conversation's rule log: each rule or macro that ran, its event, the rules version and each action's outcome */
    get: operations['getApiConversationsIdAutomationLog'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/macros/{macro_id}/run': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Run a macro on one of your conversations: its actions in order, in the conversation's workflow; answers each action's outcome */
    post: operations['postApiConversationsIdMacrosMacroIdRun'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/reporting': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Reporting metrics of your account between from_date and to_date (≤ 366 days): messages and conversations per day, per user, per weekday and per source; first reply and resolution average/median/p90 (overall and weekly); per-agent table */
    get: operations['getApiReporting'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/gmail/send': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send a new mail `{to|recipient, subject, text|message, from?, inbox_id?, file_ids?}` (`file_ids`: uploaded files, sent as attachments) from the inbox's connected Gmail mailbox (default: the first connected); answers the original's `{ok, data}`; 422 "Missing Gmail integration" without one */
    post: operations['postApiGmailSend'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/google/auth': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Google consent URL to connect a Gmail mailbox to an inbox (default: the primary inbox); the state in it works once, for 10 minutes */
    get: operations['getApiGoogleAuth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/google/oauth': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Finish connecting Gmail: the console passes the `code` and `state` Google redirected with; a state not issued to your account (or used, or expired) is refused with 403 */
    get: operations['getApiGoogleOauth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/google/authorization': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The account's first connected Gmail mailbox, or null (as the original; see /api/gmail/connections for all) */
    get: operations['getApiGoogleAuthorization'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/gmail/connections': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Gmail mailboxes of your account with their inbox, sync status and last error; `configured` says whether this server has a Google OAuth client */
    get: operations['getApiGmailConnections'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/gmail/connections/{id}/sync': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sync a mailbox now (in addition to its schedule; skipped while a sync runs) */
    post: operations['postApiGmailConnectionsIdSync'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/gmail/connections/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Disconnect a Gmail mailbox: its sync schedule is deleted; conversations stay */
    delete: operations['deleteApiGmailConnectionsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/google/authorizations/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Disconnect a Gmail mailbox (the original’s route name) */
    delete: operations['deleteApiGoogleAuthorizationsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/crm/connections': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's HubSpot and Intercom connections, which vendors this server can connect to, and the redirect URI to register */
    get: operations['getApiCrmConnections'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/crm/auth': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The vendor's consent URL to connect HubSpot or Intercom; the state in it works once, for 10 minutes, for your account */
    get: operations['getApiCrmAuth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/crm/oauth': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Finish connecting HubSpot or Intercom: the console passes the `code` and `state` the vendor redirected with; a state not issued to your account (or used, or expired) is refused with 403, a code the vendor refuses with 401 */
    get: operations['getApiCrmOauth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/crm/connections/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Disconnect HubSpot or Intercom: the token is revoked where the vendor allows it (HubSpot); contacts and notes stay at the vendor */
    delete: operations['deleteApiCrmConnectionsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/customers/{id}/crm': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The customer's contacts at the CRMs your account is connected to (HubSpot, Intercom): link and fields as of the last sync */
    get: operations['getApiCustomersIdCrm'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/companies': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's companies, by name (filters: name, external_id, slack_channel_id; keyset pages with limit and after) */
    get: operations['getApiCompanies'];
    put?: never;
    /** Create a company (name required) */
    post: operations['postApiCompanies'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/companies/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A company of your account */
    get: operations['getApiCompaniesId'];
    /** Edit a company of your account (its account never changes) */
    put: operations['putApiCompaniesId'];
    post?: never;
    /** Delete a company of your account (204); its customers stay, without a company */
    delete: operations['deleteApiCompaniesId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/companies/{id}/customers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Put a customer of your account in this company (it leaves its previous company) */
    post: operations['postApiCompaniesIdCustomers'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/companies/{id}/customers/{customer_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Take a customer of your account out of this company */
    delete: operations['deleteApiCompaniesIdCustomersCustomerId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/issues': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's issues, newest first (filters: state, title, github_issue_url, q, customer_id, conversation_id; keyset pages with limit and after) */
    get: operations['getApiIssues'];
    put?: never;
    /** Create an issue (title required; state defaults to unstarted); customer_id / conversation_id link it at once */
    post: operations['postApiIssues'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/issues/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An issue of your account with the ids of the customers and conversations it is linked to */
    get: operations['getApiIssuesId'];
    /** Edit an issue of your account; its linked customers get issue:updated */
    put: operations['putApiIssuesId'];
    post?: never;
    /** Delete an issue of your account (204) with its links */
    delete: operations['deleteApiIssuesId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/customers/{id}/issues': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Link an issue to a customer (idempotent); both must be in your account */
    post: operations['postApiCustomersIdIssues'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/customers/{id}/issues/{issue_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Unlink an issue from a customer of your account */
    delete: operations['deleteApiCustomersIdIssuesIssueId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/issues': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Link an issue to a conversation (idempotent); both must be in your account */
    post: operations['postApiConversationsIdIssues'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/issues/{issue_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Unlink an issue from a conversation of your account */
    delete: operations['deleteApiConversationsIdIssuesIssueId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/onboarding_status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Onboarding checklist (bare object): has_configured_inbox, has_configured_profile, has_invited_teammates, has_integrations, has_upgraded_subscription */
    get: operations['getApiOnboardingStatus'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/slack/notify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Post a text into a Slack channel connected to your account (`channel`: id or name of a connected one; default the `type` channel, `reply`); 422 "Missing Slack integration" without Slack */
    post: operations['postApiSlackNotify'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/slack/authorization': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The Slack workspace connected to your account, with its channel mappings (null when none; never the token) */
    get: operations['getApiSlackAuthorization'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/slack/authorize': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Slack's consent URL for installing the app in your workspace (state signed and bound to your account for 15 minutes) */
    get: operations['getApiSlackAuthorize'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/slack/oauth': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Finish the Slack install: exchange the code Slack redirected back with (oauth.v2.access); the state must be the one issued to your account */
    get: operations['getApiSlackOauth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/slack/channels': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Channels of the connected workspace the bot can see (for mapping) */
    get: operations['getApiSlackChannels'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/slack/channel_mappings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Map a Slack channel to an inbox: `reply` (a thread per new conversation) or `support` (messages there open conversations) */
    post: operations['postApiSlackChannelMappings'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/slack/channel_mappings/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a channel mapping */
    delete: operations['deleteApiSlackChannelMappingsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/slack/authorizations/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Disconnect Slack: revoke the token and remove the mappings (another account’s id is 404) */
    delete: operations['deleteApiSlackAuthorizationsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/slack/webhook': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Slack Events API: URL verification and message events. Requests must carry a valid `X-Slack-Signature` within 5 minutes (else 401, nothing read); a retried event (same event_id) is acknowledged without effect */
    post: operations['postApiSlackWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/slack/actions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Slack interactivity (the thread root's buttons: `close_conversation`, `open_conversation`, `assign_to_me`). A form post with a `payload` JSON field, signed like events (`X-Slack-Signature` within 5 minutes, else 401, nothing read); the clicking Slack user must be an agent of the account (else an ephemeral explanation), and the button's conversation must be the one threaded on that message; a click Slack sends again (same `action_ts`) changes nothing twice */
    post: operations['postApiSlackActions'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/github/authorization': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The GitHub App installation connected to your account (null when none) and whether the App is configured on this server */
    get: operations['getApiGithubAuthorization'];
    /** Change the GitHub settings of your account: `notify_customer_on_close` (opt-in) */
    put: operations['putApiGithubAuthorization'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/github/authorize': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** GitHub's install page for the App (state signed and bound to your account for 15 minutes) */
    get: operations['getApiGithubAuthorize'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/github/oauth': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Finish the GitHub install: the code and installation id GitHub redirected back with; the state must be the one issued to your account, and the installation one the approving GitHub user can see */
    get: operations['getApiGithubOauth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/github/authorizations/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Disconnect GitHub from your account (another account’s id is 404); uninstall the App on GitHub to revoke its access there */
    delete: operations['deleteApiGithubAuthorizationsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/github/repositories': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Repositories the connected installation can reach (where issues can be created) */
    get: operations['getApiGithubRepositories'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/github/issues/search': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** GitHub issues matching `q` in the repositories the installation can see (GitHub search; pull requests left out) */
    get: operations['getApiGithubIssuesSearch'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/github/issues/link': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Link a GitHub issue (by URL) to a conversation and/or customer of your account; the issue must be visible to the installation. Uses your record of that URL, or creates one with GitHub’s title and state */
    post: operations['postApiGithubIssuesLink'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conversations/{id}/github_issues': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create a GitHub issue from a conversation of your account: the issue record (linked to the conversation and its customer) is answered at once with `github.status` `creating`; the worker creates it on GitHub once, then `created` with its number and URL (or `failed` with GitHub’s reason) */
    post: operations['postApiConversationsIdGithubIssues'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/issues/{id}/github': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The GitHub creation status of an issue of your account (null when it was not created from Netia) */
    get: operations['getApiIssuesIdGithub'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/github/webhook': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The GitHub App webhook: `issues` edited / closed / reopened / deleted sync linked issues (title, state), note it in their conversations and, opted in, tell the customer about a completed close; `installation` deleted disconnects. Requests must carry a valid `X-Hub-Signature-256` (else 401, nothing read); a delivery (`X-GitHub-Delivery`) is handled once */
    post: operations['postApiGithubWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/twilio/send': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send an SMS `{to, body, customer_id?}` from your account's Twilio number (`to` in E.164; counts against SMS_MAX_PER_ACCOUNT_PER_HOUR) and record it in the customer's SMS conversation (found or opened; the customer found by number or created); 422 "Missing Twilio integration" without Twilio, 422 when the number opted out (STOP) */
    post: operations['postApiTwilioSend'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/twilio/auth': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Connect Twilio (checked by listing one message). Refused credentials answer `{data:{ok:false,error}}` as the original; the auth token is stored encrypted */
    post: operations['postApiTwilioAuth'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/twilio/authorization': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The connected Twilio number (null when none; never the auth token) */
    get: operations['getApiTwilioAuthorization'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/twilio/authorizations/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Disconnect Twilio (another account’s id is 404) */
    delete: operations['deleteApiTwilioAuthorizationsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/twilio/webhook': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Inbound SMS (Twilio form post). `X-Twilio-Signature` must be valid for the number’s auth token (else 403, nothing changes); one message per MessageSid. Answers empty TwiML */
    post: operations['postApiTwilioWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/twilio/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Twilio status callback of a sent SMS (signature checked): the status is recorded on the delivery */
    post: operations['postApiTwilioStatus'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/mattermost/authorization': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The Mattermost server and channel connected to your account (null when none; never a token) */
    get: operations['getApiMattermostAuthorization'];
    put?: never;
    /** Connect Mattermost (or replace the connection): the bot access token must be accepted by the server (`GET /api/v4/users/me`) and see the channel; 422 names the field at fault. Tokens are stored encrypted */
    post: operations['postApiMattermostAuthorization'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/mattermost/authorizations/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Disconnect Mattermost (another account’s id is 404) */
    delete: operations['deleteApiMattermostAuthorizationsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/mattermost/webhook': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Mattermost outgoing webhook (form or JSON) for posts in the connected channel. Its `token` must be the connection's webhook token (else 401, nothing read); the post is then read from the server, and a person's reply in a conversation's thread becomes an agent message, once per post. Answers `{}` (Mattermost posts nothing back) */
    post: operations['postApiMattermostWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/ses/webhook': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Inbound email from the forwarding Lambda. The body must be signed (`X-Netia-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, 5 minutes; else 401, nothing changes); one message per message_id */
    post: operations['postApiSesWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/ses/notifications': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** SES bounce and complaint notifications, signed like /api/ses/webhook (else 401): a permanent bounce or a complaint stops mail to that address for the account that sent it */
    post: operations['postApiSesNotifications'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/email_suppressions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Addresses your account no longer mails (a permanent bounce, a complaint, or a refusal by their mail server); `email`: only that address (an empty list when it is mailed) */
    get: operations['getApiEmailSuppressions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/email_suppressions/{email}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Mail an address again (the customer fixed their mailbox); 404 when it is not suppressed */
    delete: operations['deleteApiEmailSuppressionsEmail'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/forwarding_addresses': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's inbound forwarding addresses */
    get: operations['getApiForwardingAddresses'];
    put?: never;
    /** Create a forwarding address (`fwd-…@INBOUND_EMAIL_DOMAIN`) for an inbox */
    post: operations['postApiForwardingAddresses'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/forwarding_addresses/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Delete a forwarding address (another account’s id is 404) */
    delete: operations['deleteApiForwardingAddressesId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The user of the API key (API key scope: read) */
    get: operations['getApiV1Me'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Users of your account (disabled ones hidden unless active=false); filters email, role, active, has_valid_email (API key scope: read) */
    get: operations['getApiV1Users'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A user of your account (another account’s user is 404) (API key scope: read) */
    get: operations['getApiV1UsersId'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/profile': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's profile (created on first read) (API key scope: read) */
    get: operations['getApiV1Profile'];
    /** Edit the caller's profile (API key scope: write) */
    put: operations['putApiV1Profile'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/user_settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's notification settings (created on first read) (API key scope: read) */
    get: operations['getApiV1UserSettings'];
    /** Edit the caller's notification settings (API key scope: write) */
    put: operations['putApiV1UserSettings'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/customers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your customers, most recently seen first, each with its tags and latest conversation: page pagination (page, page_size or limit; default 50, max 100) or keyset (after = the previous page's next), filters, format=csv (API key scope: read) */
    get: operations['getApiV1Customers'];
    put?: never;
    /** Create a customer in your account (API key scope: write) */
    post: operations['postApiV1Customers'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/customers/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A customer of your account with its tags and company (always); expand[]=conversations|notes|issues|messages adds those (messages: the newest 100 it sent) (API key scope: read) */
    get: operations['getApiV1CustomersId'];
    /** Edit a customer of your account (its account never changes) (API key scope: write) */
    put: operations['putApiV1CustomersId'];
    post?: never;
    /** Delete a customer of your account with its conversations (their workflows are terminated first), notes and tags (admin only) (API key scope: admin) */
    delete: operations['deleteApiV1CustomersId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's tags (API key scope: read) */
    get: operations['getApiV1Tags'];
    put?: never;
    /** Create a tag (name unique in the account) (API key scope: write) */
    post: operations['postApiV1Tags'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tags/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A tag of your account (API key scope: read) */
    get: operations['getApiV1TagsId'];
    /** Edit a tag of your account (API key scope: write) */
    put: operations['putApiV1TagsId'];
    post?: never;
    /** Delete a tag of your account (it is removed from every customer and conversation; the open conversations it was on run their tag rules as for a removal) (API key scope: write) */
    delete: operations['deleteApiV1TagsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/notes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's notes, newest first (filters customer_id, author_id), with author and customer (API key scope: read) */
    get: operations['getApiV1Notes'];
    put?: never;
    /** Write a note about a customer of your account (API key scope: write) */
    post: operations['postApiV1Notes'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/notes/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A note of your account (API key scope: read) */
    get: operations['getApiV1NotesId'];
    /** Edit a note of your account (body and content type) (API key scope: write) */
    put: operations['putApiV1NotesId'];
    post?: never;
    /** Delete a note of your account (API key scope: write) */
    delete: operations['deleteApiV1NotesId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/conversations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Conversations of your account, newest activity first, keyset-paginated (limit ≤ 50, after/before cursors); each with its customer, latest message and tags; tag_id filters by tag (API key scope: read) */
    get: operations['getApiV1Conversations'];
    put?: never;
    /** Start a conversation as yourself; an optional first message is posted as you through the workflow (API key scope: write) */
    post: operations['postApiV1Conversations'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/messages/count': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** How many messages of your account match the filters (conversation_id, customer_id, user_id, source, type, private, body as an ILIKE pattern) (API key scope: read) */
    get: operations['getApiV1MessagesCount'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/messages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Messages of one of your conversations in seq order: after_seq (resume), before_seq (scroll back), or the newest; limit ≤ 200. Without conversation_id, or with any of customer_id, user_id, source, type, private, body (an ILIKE pattern): the account's matching messages, newest first (API key scope: read) */
    get: operations['getApiV1Messages'];
    put?: never;
    /** Post a message (or a private note) in one of your conversations, through the conversation workflow: as yourself, or as a customer of your account with customer_id (then not with user_id: 422; not a customer of your account: 403); optional metadata, subject, source and sent_at (API key scope: write) */
    post: operations['postApiV1Messages'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/conversations/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A conversation with its customer, its tags and all messages (private notes included) in seq order; archived ones included (archived_at set) (API key scope: read) */
    get: operations['getApiV1ConversationsId'];
    /** Change status (open/closed), snooze, priority, assignee, inbox, subject or read mark, through the workflow (API key scope: write) */
    put: operations['putApiV1ConversationsId'];
    post?: never;
    /** Delete a conversation of your account with its messages (admin only; 204). Its workflow is terminated first ("Conversation deleted by user <id> (<email>)"); 503 and nothing deleted when that fails (API key scope: admin) */
    delete: operations['deleteApiV1ConversationsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/messages/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A message of your account. Messages are immutable events of their conversation: there is no PUT or DELETE (API key scope: read) */
    get: operations['getApiV1MessagesId'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/reporting': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Reporting metrics of your account between from_date and to_date (≤ 366 days): messages and conversations per day, per user, per weekday and per source; first reply and resolution average/median/p90 (overall and weekly); per-agent table (API key scope: read) */
    get: operations['getApiV1Reporting'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/companies': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's companies, by name (filters: name, external_id, slack_channel_id; keyset pages with limit and after) (API key scope: read) */
    get: operations['getApiV1Companies'];
    put?: never;
    /** Create a company (name required) (API key scope: write) */
    post: operations['postApiV1Companies'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/companies/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A company of your account (API key scope: read) */
    get: operations['getApiV1CompaniesId'];
    /** Edit a company of your account (its account never changes) (API key scope: write) */
    put: operations['putApiV1CompaniesId'];
    post?: never;
    /** Delete a company of your account (204); its customers stay, without a company (API key scope: write) */
    delete: operations['deleteApiV1CompaniesId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/issues': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's issues, newest first (filters: state, title, github_issue_url, q, customer_id, conversation_id; keyset pages with limit and after) (API key scope: read) */
    get: operations['getApiV1Issues'];
    put?: never;
    /** Create an issue (title required; state defaults to unstarted); customer_id / conversation_id link it at once (API key scope: write) */
    post: operations['postApiV1Issues'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/issues/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An issue of your account with the ids of the customers and conversations it is linked to (API key scope: read) */
    get: operations['getApiV1IssuesId'];
    /** Edit an issue of your account; its linked customers get issue:updated (API key scope: write) */
    put: operations['putApiV1IssuesId'];
    post?: never;
    /** Delete an issue of your account (204) with its links (API key scope: write) */
    delete: operations['deleteApiV1IssuesId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/slack/notify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Post a text into a Slack channel connected to your account (`channel`: id or name of a connected one; default the `type` channel, `reply`); 422 "Missing Slack integration" without Slack (API key scope: write) */
    post: operations['postApiV1SlackNotify'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/twilio/send': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send an SMS `{to, body, customer_id?}` from your account's Twilio number (`to` in E.164; counts against SMS_MAX_PER_ACCOUNT_PER_HOUR) and record it in the customer's SMS conversation (found or opened; the customer found by number or created); 422 "Missing Twilio integration" without Twilio, 422 when the number opted out (STOP) (API key scope: write) */
    post: operations['postApiV1TwilioSend'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/gmail/send': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send a new mail `{to|recipient, subject, text|message, from?, inbox_id?, file_ids?}` (`file_ids`: uploaded files, sent as attachments) from the inbox's connected Gmail mailbox (default: the first connected); answers the original's `{ok, data}`; 422 "Missing Gmail integration" without one (API key scope: write) */
    post: operations['postApiV1GmailSend'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/audit_events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The account's audit log (admins only): who did which admin or destructive action, on what, what changed (secrets redacted) and from which IP; newest first, keyset-paginated (limit ≤ 100, default 50; next cursor in `next`); filters: actor_id, action, target_type, target_id, from_date (inclusive), to_date (exclusive) */
    get: operations['getApiAuditEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/browser_sessions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's recorded sessions, newest first (customer_id, ids[], active = live now; limit, default 100) */
    get: operations['getApiBrowserSessions'];
    put?: never;
    /** The widget starts recording a session (403 while the account's session replay is off; customer_id and its customer token required when the account requires customer tokens) */
    post: operations['postApiBrowserSessions'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/browser_sessions/{id}/finish': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The widget ends its session (the page was left); with the token of the session's customer when the account requires one */
    post: operations['postApiBrowserSessionsIdFinish'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/browser_sessions/{id}/restart': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The widget resumes its session (the page came back); with the token of the session's customer when the account requires one */
    post: operations['postApiBrowserSessionsIdRestart'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/browser_sessions/{id}/identify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The widget names the session's customer (a customer of the session's account, with its token when the account requires one) */
    post: operations['postApiBrowserSessionsIdIdentify'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/browser_sessions/{id}/exists': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Whether the session exists (403 while the account has session replay off) */
    get: operations['getApiBrowserSessionsIdExists'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/accounts/me/session_replay': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your account's session replay settings (admin only) */
    get: operations['getApiAccountsMeSessionReplay'];
    /** Change session replay (admin only): enabled, sample_rate (0..1), excluded_paths (patterns of location.pathname, * as wildcard), notice_text (null = default), max_session_bytes (64 KiB..50 MiB), retention_days (1..365); only the fields given change */
    put: operations['putApiAccountsMeSessionReplay'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/browser_sessions/count': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** How many of your account’s recorded sessions match (customer_id, ids[], active) */
    get: operations['getApiBrowserSessionsCount'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/browser_sessions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A recorded session of your account with its first 1000 events (the rest: /events) */
    get: operations['getApiBrowserSessionsId'];
    /** Edit a recorded session of your account (metadata, customer_id, conversation_id, finished_at) */
    put: operations['putApiBrowserSessionsId'];
    post?: never;
    /** Delete a recorded session of your account and its events */
    delete: operations['deleteApiBrowserSessionsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/browser_sessions/{id}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A recorded session's events by seq, for the player: after_seq (default 0), limit (at most 1000) */
    get: operations['getApiBrowserSessionsIdEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/openapi.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This OpenAPI 3.1 document */
    get: operations['getApiOpenapiJson'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    AccountBasic: {
      id: string;
      /** @constant */
      object: 'account';
      company_name: string;
      company_logo_url: string | null;
      time_zone: string | null;
      subscription_plan: string;
      working_hours: components['schemas']['JsonObject'][];
      is_outside_working_hours: boolean;
      current_minutes_since_midnight: number;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    Account: {
      id: string;
      /** @constant */
      object: 'account';
      company_name: string;
      company_logo_url: string | null;
      time_zone: string | null;
      subscription_plan: string;
      working_hours: components['schemas']['JsonObject'][];
      is_outside_working_hours: boolean;
      current_minutes_since_midnight: number;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
      settings: components['schemas']['AccountSettings'];
      allowed_origins: string[];
      require_identity_verification: boolean;
      ai_enabled: boolean;
      users: components['schemas']['User'][];
      widget_settings: components['schemas']['WidgetSettings'][];
    };
    AccountSecurity: {
      /** @constant */
      object: 'account_security';
      account_id: string;
      require_identity_verification: boolean;
      require_customer_token: boolean;
      allowed_origins: string[];
      identity_verification_secret_set: boolean;
    };
    AccountSettings: {
      disable_automated_reply_emails: boolean | null;
      conversation_reminders_enabled: boolean | null;
      conversation_reminder_hours_interval: number | null;
      max_num_conversation_reminders: number | null;
    };
    AgentTypingEvent: {
      typing: boolean;
      /** @constant */
      type: 'agent';
      user_id: number;
      name?: string;
    };
    AiDeltaEvent: {
      conversation_id: string;
      text: string;
    };
    AiResetEvent: {
      conversation_id: string;
    };
    AiTestResult: {
      /** @enum {string} */
      kind: 'reply' | 'handoff';
      answer: string | null;
      handoff_reason: string | null;
      /** @enum {string} */
      context_source: 'saved' | 'draft' | 'none';
      ai_enabled: boolean;
      model: string;
      usage: {
        prompt_tokens: number | null;
        completion_tokens: number | null;
        total_tokens: number | null;
      };
    };
    AiTypingEvent: {
      typing: boolean;
      /** @constant */
      type: 'ai';
      conversation_id: string;
    };
    ApiKey: {
      id: string;
      /** @constant */
      object: 'personal_api_key';
      label: string;
      value: string | null;
      prefix: string;
      scope: components['schemas']['ApiKeyScope'];
      last_used_at: components['schemas']['IsoTimestamp'] | null;
      account_id: string;
      user_id: number;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    /** @enum {string} */
    ApiKeyScope: 'read' | 'write' | 'admin';
    AuditActor: {
      user_id: number | null;
      email: string | null;
      role: string | null;
      api_key_id: string | null;
    };
    AuditEventPage: {
      data: components['schemas']['AuditEvent'][];
      next: string | null;
      limit: number;
    };
    AuditEvent: {
      id: string;
      /** @constant */
      object: 'audit_event';
      account_id: string;
      occurred_at: string;
      actor: components['schemas']['AuditActor'];
      action: string;
      target_type: string;
      target_id: string | null;
      method: string;
      path: string;
      before?: unknown | null;
      after?: unknown | null;
      ip: string | null;
      request_id: string | null;
    };
    AuthorizeUrl: {
      url: string;
      inbox_id?: string;
      redirect_uri?: string;
    };
    /** @enum {string} */
    AutoAssignRotation: 'all_agents' | 'members';
    AutomationActionOutcome: {
      type: string;
      ok: boolean;
      detail: string | null;
    };
    AutomationAction:
      | {
          /** @constant */
          type: 'assign_agent';
          user_id: number;
        }
      | {
          /** @constant */
          type: 'assign_round_robin';
        }
      | {
          /** @constant */
          type: 'unassign';
        }
      | {
          /** @constant */
          type: 'add_tag';
          /** Format: uuid */
          tag_id: string;
        }
      | {
          /** @constant */
          type: 'remove_tag';
          /** Format: uuid */
          tag_id: string;
        }
      | {
          /** @constant */
          type: 'set_priority';
          /** @enum {string} */
          priority: 'priority' | 'not_priority';
        }
      | {
          /** @constant */
          type: 'snooze';
          seconds: number;
        }
      | {
          /** @constant */
          type: 'close';
        }
      | {
          /** @constant */
          type: 'reopen';
        }
      | {
          /** @constant */
          type: 'send_message';
          body: string;
        }
      | {
          /** @constant */
          type: 'add_note';
          body: string;
        }
      | {
          /** @constant */
          type: 'send_email';
          /** Format: email */
          to: string;
          subject: string;
          body: string;
        }
      | {
          /** @constant */
          type: 'call_webhook';
          /** Format: uri */
          url: string;
        };
    AutomationCondition:
      | {
          /** @constant */
          type: 'inbox';
          inbox_ids: string[];
        }
      | {
          /** @constant */
          type: 'channel';
          sources: string[];
        }
      | {
          /** @constant */
          type: 'status';
          statuses: ('open' | 'closed' | 'snoozed')[];
        }
      | {
          /** @constant */
          type: 'priority';
          /** @enum {string} */
          priority: 'priority' | 'not_priority';
        }
      | {
          /** @constant */
          type: 'assigned';
          assigned: boolean;
        }
      | {
          /** @constant */
          type: 'text_contains';
          value: string;
          /** @default false */
          case_sensitive: boolean;
        }
      | {
          /** @constant */
          type: 'text_regex';
          pattern: string;
          /** @default false */
          case_sensitive: boolean;
        }
      | {
          /** @constant */
          type: 'customer_field';
          /** @enum {string} */
          field: 'email' | 'name' | 'phone' | 'external_id' | 'company_name';
          /** @enum {string} */
          op: 'equals' | 'contains' | 'present' | 'absent';
          /** @default  */
          value: string;
        }
      | {
          /** @constant */
          type: 'working_hours';
          inside: boolean;
        }
      | {
          /** @constant */
          type: 'tag';
          /** Format: uuid */
          tag_id: string;
          /** @default true */
          present: boolean;
        };
    AutomationLogEntry: {
      /** @constant */
      object: 'automation_log_entry';
      id: string;
      rule_id: string | null;
      macro_id: string | null;
      name: string;
      event: string;
      version: number;
      depth: number;
      actions: components['schemas']['AutomationActionOutcome'][];
      at: components['schemas']['IsoTimestamp'];
    };
    AutomationMacroInput: {
      name: string;
      /** @default null */
      shortcut: string | null;
      actions: components['schemas']['AutomationAction'][];
    };
    AutomationMacro: {
      /** @constant */
      object: 'automation_macro';
      id: string;
      name: string;
      shortcut: string | null;
      actions: components['schemas']['AutomationAction'][];
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    AutomationPreviewInput: {
      /** Format: uuid */
      conversation_id: string;
      /** @enum {string} */
      trigger:
        | 'conversation_created'
        | 'message_created'
        | 'status_changed'
        | 'assignee_changed'
        | 'priority_changed'
        | 'tag_changed'
        | 'customer_waiting'
        | 'agent_waiting';
      message_body?: string;
      rule?: components['schemas']['AutomationRuleInput'];
    };
    AutomationPreview: {
      /** @constant */
      object: 'automation_preview';
      version: number;
      rules: {
        rule_id: string | null;
        name: string;
        trigger_matches: boolean;
        matches: boolean;
        conditions: {
          type: string;
          ok: boolean;
          detail: string | null;
        }[];
        actions: components['schemas']['AutomationAction'][];
      }[];
    };
    AutomationRuleInput: {
      name: string;
      /** @default true */
      enabled: boolean;
      /** @default 0 */
      position: number;
      trigger: components['schemas']['AutomationTrigger'];
      /** @default [] */
      conditions: components['schemas']['AutomationCondition'][];
      actions: components['schemas']['AutomationAction'][];
    };
    AutomationRule: {
      /** @constant */
      object: 'automation_rule';
      id: string;
      name: string;
      enabled: boolean;
      position: number;
      trigger: components['schemas']['AutomationTrigger'];
      conditions: components['schemas']['AutomationCondition'][];
      actions: components['schemas']['AutomationAction'][];
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    AutomationTrigger:
      | {
          /** @constant */
          type: 'conversation_created';
        }
      | {
          /** @constant */
          type: 'message_created';
          /**
           * @default any
           * @enum {string}
           */
          author: 'customer' | 'agent' | 'any';
        }
      | {
          /** @constant */
          type: 'status_changed';
          /** @default null */
          to: ('open' | 'closed' | 'snoozed') | null;
        }
      | {
          /** @constant */
          type: 'assignee_changed';
        }
      | {
          /** @constant */
          type: 'priority_changed';
        }
      | {
          /** @constant */
          type: 'tag_changed';
        }
      | {
          /** @constant */
          type: 'customer_waiting';
          after_seconds: number;
        }
      | {
          /** @constant */
          type: 'agent_waiting';
          after_seconds: number;
        };
    BrowserSessionCustomer: {
      id: string;
      name: string | null;
      email: string | null;
      title: string;
    };
    BrowserSessionPresenceMeta: {
      phx_ref: string;
      online_at: string;
      account_id: string;
      session_id: string;
      active: boolean;
      ts: string;
      customer_id: string | null;
      conversation_id: string | null;
      url: string | null;
      /** Format: date-time */
      started_at: string;
    };
    BrowserSession: {
      id: string;
      /** @constant */
      object: 'browser_session';
      account_id: string;
      customer_id: string | null;
      conversation_id: string | null;
      metadata: {
        [key: string]: unknown;
      };
      /** Format: date-time */
      started_at: string;
      finished_at: string | null;
      last_event_at: string | null;
      current_url: string | null;
      user_agent: string | null;
      bytes: number;
      event_count: number;
      customer: components['schemas']['BrowserSessionCustomer'] | null;
    };
    BrowserSessionWithEvents: {
      id: string;
      /** @constant */
      object: 'browser_session';
      account_id: string;
      customer_id: string | null;
      conversation_id: string | null;
      metadata: {
        [key: string]: unknown;
      };
      /** Format: date-time */
      started_at: string;
      finished_at: string | null;
      last_event_at: string | null;
      current_url: string | null;
      user_agent: string | null;
      bytes: number;
      event_count: number;
      customer: components['schemas']['BrowserSessionCustomer'] | null;
      browser_replay_events: components['schemas']['ReplayEvent'][];
    };
    BusinessContext: {
      id: string;
      account_id: string;
      business_name: string;
      business_description: string | null;
      services: components['schemas']['JsonObject'];
      scheduling_link: string | null;
      faqs: components['schemas']['JsonObject'];
      additional_context: string | null;
      inserted_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    CannedResponse: {
      id: string;
      /** @constant */
      object: 'canned_response';
      name: string;
      content: string;
      account_id: string;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    Company: {
      id: string;
      /** @constant */
      object: 'company';
      name: string;
      external_id: string | null;
      website_url: string | null;
      description: string | null;
      logo_image_url: string | null;
      industry: string | null;
      slack_channel_id: string | null;
      slack_channel_name: string | null;
      slack_team_id: string | null;
      slack_team_name: string | null;
      metadata: components['schemas']['JsonObject'];
      account_id: string;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    ConversationCreatedEvent: {
      id: string;
    };
    ConversationPage: {
      data: components['schemas']['ExpandedConversation'][];
      next: string | null;
      previous: string | null;
      limit: number;
      total: number;
    };
    ConversationRating: {
      /** @constant */
      object: 'conversation_rating';
      id: string;
      account_id: string;
      conversation_id: string;
      customer_id: string;
      agent_id: number | null;
      /** @enum {string} */
      channel: 'widget' | 'email';
      scale: components['schemas']['CsatScale'];
      score: number | null;
      comment: string | null;
      closed_at: components['schemas']['IsoTimestamp'];
      sent_at: components['schemas']['IsoTimestamp'];
      rated_at: components['schemas']['IsoTimestamp'] | null;
    };
    Conversation: {
      id: string;
      /** @constant */
      object: 'conversation';
      account_id: string;
      customer_id: string;
      inbox_id: string | null;
      /** @enum {string} */
      status: 'open' | 'closed' | 'snoozed';
      /** @enum {string} */
      priority: 'priority' | 'not_priority';
      read: boolean;
      source: string;
      subject: string | null;
      assignee_id: number | null;
      snoozed_until: components['schemas']['IsoTimestamp'] | null;
      archived_at: components['schemas']['IsoTimestamp'] | null;
      closed_at: components['schemas']['IsoTimestamp'] | null;
      first_replied_at: components['schemas']['IsoTimestamp'] | null;
      last_activity_at: components['schemas']['IsoTimestamp'];
      last_seq: number;
      bot_active: boolean;
      seen_up_to_seq: number;
      metadata: components['schemas']['JsonObject'];
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    ConversationSummary: {
      id: string;
      /** @constant */
      object: 'conversation_summary';
      conversation_id: string;
      up_to_seq: number;
      text: string;
      model: string;
      /** @enum {string} */
      trigger: 'manual' | 'handoff';
      created_at: components['schemas']['IsoTimestamp'];
      created_by: number | null;
    };
    ConversationSummaryState: {
      /** @constant */
      object: 'conversation_summary_state';
      conversation_id: string;
      summary: components['schemas']['ConversationSummary'] | null;
      latest_seq: number;
      has_newer_messages: boolean;
      should_generate: boolean;
      generated: boolean;
    };
    ConversationTagsEvent: {
      conversation_id: string;
      tags: components['schemas']['Tag'][];
    };
    ConversationUpdatedEvent: {
      id: string;
      updates: components['schemas']['Conversation'];
    };
    CopilotSettings: {
      /** @constant */
      object: 'copilot_settings';
      enabled: boolean;
      configured: boolean;
      available: boolean;
      limit: {
        per_minute: number;
        burst: number;
      };
    };
    Count: {
      count: number;
    };
    CreatedCustomer: {
      id: string;
      /** @constant */
      object: 'customer';
      account_id: string;
      name: string | null;
      email: string | null;
      title: string;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
      first_seen: string;
      last_seen_at: components['schemas']['IsoTimestamp'];
      phone: string | null;
      external_id: string | null;
      profile_photo_url: string | null;
      company_id: string | null;
      host: string | null;
      pathname: string | null;
      current_url: string | null;
      browser: string | null;
      os: string | null;
      ip: string | null;
      metadata: components['schemas']['JsonObject'];
      time_zone: string | null;
      customer_token: string;
    };
    CreatedEventSubscription: {
      id: string;
      /** @constant */
      object: 'event_subscription';
      webhook_url: string;
      verified: boolean;
      account_id: string;
      scope: string | null;
      verified_at: components['schemas']['IsoTimestamp'] | null;
      last_verification_error: string | null;
      created_by_user_id: number | null;
      created_by: {
        id: number;
        email: string | null;
      } | null;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
      signing_secret: string;
    };
    CrmConnected: {
      /** @constant */
      ok: true;
      connection: components['schemas']['CrmConnection'];
    };
    CrmConnectionList: {
      data: components['schemas']['CrmConnection'][];
      configured: {
        hubspot: boolean;
        intercom: boolean;
      };
      redirect_uri: string;
    };
    CrmConnection: {
      id: string;
      /** @constant */
      object: 'crm_connection';
      provider: components['schemas']['CrmProvider'];
      external_account: string;
      name: string | null;
      connected_as: string | null;
      last_error: string | null;
      created_at: string;
      updated_at: string;
    };
    CrmContact: {
      /** @constant */
      object: 'crm_contact';
      provider: components['schemas']['CrmProvider'];
      contact_id: string;
      url: string | null;
      fields: {
        [key: string]: string | null;
      };
      synced_at: string;
    };
    /** @enum {string} */
    CrmProvider: 'hubspot' | 'intercom';
    CsatSurvey: {
      /** @constant */
      object: 'csat_survey';
      id: string;
      conversation_id: string;
      scale: components['schemas']['CsatScale'];
      question: string;
      score: number | null;
      comment: string | null;
      rated_at: components['schemas']['IsoTimestamp'] | null;
      expires_at: components['schemas']['IsoTimestamp'];
      can_rate: boolean;
      token: string;
      company_name: string;
    };
    CsatRatingInput: {
      score: number;
      comment?: string | null;
    };
    CsatReport: {
      surveys_sent: number;
      responses: number;
      response_rate: number;
      average_score: number | null;
      satisfied_share: number | null;
      per_agent: {
        surveys_sent: number;
        responses: number;
        response_rate: number;
        average_score: number | null;
        satisfied_share: number | null;
        agent: {
          id: number;
          email: string;
          display_name: string | null;
        } | null;
      }[];
      by_day: {
        surveys_sent: number;
        responses: number;
        response_rate: number;
        average_score: number | null;
        satisfied_share: number | null;
        date: string;
      }[];
    };
    /** @enum {string} */
    CsatScale: 'five' | 'thumbs';
    CsatSettingsInput: {
      enabled?: boolean;
      scale?: components['schemas']['CsatScale'];
      delay_minutes?: number;
      question?: string;
    };
    CsatSettings: {
      /** @constant */
      object: 'csat_settings';
      enabled: boolean;
      scale: components['schemas']['CsatScale'];
      delay_minutes: number;
      question: string;
    };
    CustomerConversation: {
      id: string;
      /** @constant */
      object: 'conversation';
      account_id: string;
      customer_id: string;
      inbox_id: string | null;
      /** @enum {string} */
      status: 'open' | 'closed' | 'snoozed';
      /** @enum {string} */
      priority: 'priority' | 'not_priority';
      read: boolean;
      source: string;
      subject: string | null;
      assignee_id: number | null;
      snoozed_until: components['schemas']['IsoTimestamp'] | null;
      archived_at: components['schemas']['IsoTimestamp'] | null;
      closed_at: components['schemas']['IsoTimestamp'] | null;
      first_replied_at: components['schemas']['IsoTimestamp'] | null;
      last_activity_at: components['schemas']['IsoTimestamp'];
      last_seq: number;
      bot_active: boolean;
      seen_up_to_seq: number;
      metadata: components['schemas']['JsonObject'];
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
      messages: components['schemas']['Message'][];
    };
    CustomerDetail: {
      id: string;
      /** @constant */
      object: 'customer';
      account_id: string;
      name: string | null;
      email: string | null;
      title: string;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
      first_seen: string;
      last_seen_at: components['schemas']['IsoTimestamp'];
      phone: string | null;
      external_id: string | null;
      profile_photo_url: string | null;
      company_id: string | null;
      host: string | null;
      pathname: string | null;
      current_url: string | null;
      browser: string | null;
      os: string | null;
      ip: string | null;
      metadata: components['schemas']['JsonObject'];
      time_zone: string | null;
      tags: components['schemas']['Tag'][];
      company: components['schemas']['Company'] | null;
      conversations?: components['schemas']['Conversation'][];
      notes?: components['schemas']['Note'][];
      issues?: components['schemas']['Issue'][];
      messages?: components['schemas']['Message'][];
    };
    CustomerListItem: {
      id: string;
      /** @constant */
      object: 'customer';
      account_id: string;
      name: string | null;
      email: string | null;
      title: string;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
      first_seen: string;
      last_seen_at: components['schemas']['IsoTimestamp'];
      phone: string | null;
      external_id: string | null;
      profile_photo_url: string | null;
      company_id: string | null;
      host: string | null;
      pathname: string | null;
      current_url: string | null;
      browser: string | null;
      os: string | null;
      ip: string | null;
      metadata: components['schemas']['JsonObject'];
      time_zone: string | null;
      tags: components['schemas']['Tag'][];
      conversations: components['schemas']['Conversation'][];
    };
    CustomerPage: {
      data: components['schemas']['CustomerListItem'][];
      page_number: number;
      page_size: number;
      total_pages: number;
      total_entries: number;
      next: string | null;
    };
    Customer: {
      id: string;
      /** @constant */
      object: 'customer';
      account_id: string;
      name: string | null;
      email: string | null;
      title: string;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
      first_seen: string;
      last_seen_at: components['schemas']['IsoTimestamp'];
      phone: string | null;
      external_id: string | null;
      profile_photo_url: string | null;
      company_id: string | null;
      host: string | null;
      pathname: string | null;
      current_url: string | null;
      browser: string | null;
      os: string | null;
      ip: string | null;
      metadata: components['schemas']['JsonObject'];
      time_zone: string | null;
    };
    CustomerTypingEvent: {
      conversation_id: string;
      customer_id: string;
      typing: boolean;
    };
    EmailSuppression: {
      /** @constant */
      object: 'email_suppression';
      email: string;
      /** @enum {string} */
      reason: 'bounce' | 'complaint' | 'rejected';
      detail: string | null;
      created_at: components['schemas']['IsoTimestamp'];
    };
    EmailVerified: {
      /** @constant */
      success: true;
      message?: string;
    };
    EmptyObject: Record<string, never>;
    EventSubscription: {
      id: string;
      /** @constant */
      object: 'event_subscription';
      webhook_url: string;
      verified: boolean;
      account_id: string;
      scope: string | null;
      verified_at: components['schemas']['IsoTimestamp'] | null;
      last_verification_error: string | null;
      created_by_user_id: number | null;
      created_by: {
        id: number;
        email: string | null;
      } | null;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    ExpandedConversation: {
      id: string;
      /** @constant */
      object: 'conversation';
      account_id: string;
      customer_id: string;
      inbox_id: string | null;
      /** @enum {string} */
      status: 'open' | 'closed' | 'snoozed';
      /** @enum {string} */
      priority: 'priority' | 'not_priority';
      read: boolean;
      source: string;
      subject: string | null;
      assignee_id: number | null;
      snoozed_until: components['schemas']['IsoTimestamp'] | null;
      archived_at: components['schemas']['IsoTimestamp'] | null;
      closed_at: components['schemas']['IsoTimestamp'] | null;
      first_replied_at: components['schemas']['IsoTimestamp'] | null;
      last_activity_at: components['schemas']['IsoTimestamp'];
      last_seq: number;
      bot_active: boolean;
      seen_up_to_seq: number;
      metadata: components['schemas']['JsonObject'];
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
      customer: components['schemas']['Customer'] | null;
      messages: components['schemas']['Message'][];
      tags: components['schemas']['Tag'][];
      mentions: components['schemas']['Mention'][];
    };
    File: {
      id: string;
      /** @constant */
      object: 'file';
      filename: string;
      content_type: string;
      size: number;
      file_url: string;
      created_at?: components['schemas']['IsoTimestamp'];
    };
    ForwardingAddress: {
      id: string;
      /** @constant */
      object: 'forwarding_address';
      account_id: string;
      inbox_id: string | null;
      forwarding_email_address: string;
      source_email_address: string | null;
      description: string | null;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    GithubAuthorizationResponse: {
      data: components['schemas']['GithubConnection'] | null;
      configured: boolean;
    };
    GithubConnection: {
      id: string;
      /** @constant */
      object: 'github_installation';
      account_id: string;
      installation_id: string;
      account_login: string;
      account_type: string | null;
      repository_selection: string | null;
      notify_customer_on_close: boolean;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    GithubIssueRequest: {
      issue_id: string;
      /** @constant */
      object: 'github_issue_request';
      conversation_id: string | null;
      repo: string;
      /** @enum {string} */
      status: 'creating' | 'created' | 'failed';
      error: string | null;
      number: number | null;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    GithubIssue: {
      id: string;
      /** @constant */
      object: 'issue';
      title: string;
      body: string | null;
      /** @enum {string} */
      state: 'unstarted' | 'in_progress' | 'in_review' | 'done' | 'closed';
      github_issue_url: string | null;
      finished_at: components['schemas']['IsoTimestamp'] | null;
      closed_at: components['schemas']['IsoTimestamp'] | null;
      metadata: components['schemas']['JsonObject'];
      account_id: string;
      creator_id: number | null;
      assignee_id: number | null;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
      customer_ids: string[];
      conversation_ids: string[];
      github: components['schemas']['GithubIssueRequest'] | null;
    };
    GithubIssueSearchResult: {
      url: string;
      title: string;
      /** @enum {string} */
      state: 'open' | 'closed';
      number: number;
      repo: string;
    };
    GithubRepository: {
      full_name: string;
      private: boolean;
      html_url: string;
    };
    GmailConnected: {
      /** @constant */
      ok: true;
      connection: components['schemas']['GmailConnection'];
    };
    GmailConnectionList: {
      data: components['schemas']['GmailConnection'][];
      configured: boolean;
      sync_interval_seconds: number;
      redirect_uri: string;
    };
    GmailConnection: {
      id: string;
      /** @constant */
      object: 'gmail_connection';
      email: string;
      inbox_id: string;
      inbox_name: string | null;
      scope: string;
      /** @enum {string} */
      status: 'error' | 'connected' | 'syncing';
      last_synced_at: components['schemas']['IsoTimestamp'] | null;
      last_error: string | null;
      created_at: components['schemas']['IsoTimestamp'];
    };
    GmailSendResponse: {
      /** @constant */
      ok: true;
      data: {
        id: string;
        thread_id: string;
        from: string;
        to: string;
      };
    };
    IdentifiedCustomer: {
      customer_id: string | null;
      customer_token?: string;
    };
    IdentityVerificationSecret: {
      /** @constant */
      object: 'identity_verification_secret';
      secret: string;
    };
    /** @enum {string} */
    ImproveMode: 'friendlier' | 'more_formal' | 'shorter' | 'fix_grammar' | 'translate';
    ImprovedText: {
      /** @constant */
      object: 'improved_text';
      mode: components['schemas']['ImproveMode'];
      text: string;
      language: string | null;
      model: string;
    };
    Inbox: {
      id: string;
      /** @constant */
      object: 'inbox';
      account_id: string;
      name: string;
      description: string | null;
      is_primary: boolean;
      is_private: boolean;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    InboxSettings: {
      /** @constant */
      object: 'inbox_settings';
      inbox_id: string;
      auto_assign: boolean;
      auto_assign_max_open: number;
      auto_assign_rotation: components['schemas']['AutoAssignRotation'];
      member_ids: number[];
      ai_enabled: boolean | null;
      account_ai_enabled: boolean;
      updated_at: components['schemas']['IsoTimestamp'];
    };
    Invitation: {
      id: string;
      /** @constant */
      object: 'user_invitation';
      account_id: string;
      email: string | null;
      token: string | null;
      expires_at: components['schemas']['IsoTimestamp'];
      accepted_at: components['schemas']['IsoTimestamp'] | null;
      accepted_by_id: number | null;
      invited_by_id: number | null;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    /** Format: date-time */
    IsoTimestamp: string;
    Issue: {
      id: string;
      /** @constant */
      object: 'issue';
      title: string;
      body: string | null;
      /** @enum {string} */
      state: 'unstarted' | 'in_progress' | 'in_review' | 'done' | 'closed';
      github_issue_url: string | null;
      finished_at: components['schemas']['IsoTimestamp'] | null;
      closed_at: components['schemas']['IsoTimestamp'] | null;
      metadata: components['schemas']['JsonObject'];
      account_id: string;
      creator_id: number | null;
      assignee_id: number | null;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    IssueWithLinks: {
      id: string;
      /** @constant */
      object: 'issue';
      title: string;
      body: string | null;
      /** @enum {string} */
      state: 'unstarted' | 'in_progress' | 'in_review' | 'done' | 'closed';
      github_issue_url: string | null;
      finished_at: components['schemas']['IsoTimestamp'] | null;
      closed_at: components['schemas']['IsoTimestamp'] | null;
      metadata: components['schemas']['JsonObject'];
      account_id: string;
      creator_id: number | null;
      assignee_id: number | null;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
      customer_ids: string[];
      conversation_ids: string[];
    };
    JsonObject: {
      [key: string]: unknown;
    };
    MacroRun: {
      /** @constant */
      object: 'macro_run';
      macro_id: string;
      actions: components['schemas']['AutomationActionOutcome'][];
    };
    MailboxMessage: {
      id: string;
      kind: string;
      to: string[];
      from: string;
      subject: string;
      created_at: components['schemas']['IsoTimestamp'];
      headers: {
        [key: string]: string;
      };
      text: string;
      html: string | null;
    };
    MailboxSummary: {
      id: string;
      kind: string;
      to: string[];
      from: string;
      subject: string;
      created_at: components['schemas']['IsoTimestamp'];
    };
    MattermostIntegration: {
      id: string;
      /** @constant */
      object: 'mattermost_authorization';
      account_id: string;
      server_url: string;
      bot_user_id: string;
      bot_username: string | null;
      team_id: string | null;
      channel_id: string;
      channel_name: string | null;
      webhook_url: string | null;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    Me: {
      id: number;
      email: string;
      account_id: string;
      /** @enum {string} */
      role: 'user' | 'admin';
      email_verified?: boolean;
      email_confirmed_at?: components['schemas']['IsoTimestamp'] | null;
    };
    Mention: {
      id: string;
      /** @constant */
      object: 'mention';
      account_id: string;
      conversation_id: string;
      message_id: string;
      user_id: number;
      seen_at: components['schemas']['IsoTimestamp'] | null;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    MessageCustomer: {
      id: string;
      /** @constant */
      object: 'customer';
      name: string | null;
      email: string | null;
      title: string;
      profile_photo_url: string | null;
    };
    MessagePage: {
      data: components['schemas']['Message'][];
      limit: number;
      has_more?: boolean;
      last_seq?: number;
    };
    Message: {
      id: string;
      /** @constant */
      object: 'message';
      seq: number;
      client_message_id: string | null;
      body: string | null;
      /** @enum {string} */
      type: 'reply' | 'note' | 'bot' | 'system';
      content_type: string;
      private: boolean;
      mentioned_user_ids?: number[];
      source: string;
      subject: string | null;
      created_at: components['schemas']['IsoTimestamp'];
      sent_at: string | null;
      seen_at: components['schemas']['IsoTimestamp'] | null;
      conversation_id: string;
      account_id: string;
      customer_id: string | null;
      user_id: number | null;
      user: components['schemas']['User'] | null;
      customer?: components['schemas']['MessageCustomer'];
      attachments: components['schemas']['File'][];
      metadata: components['schemas']['JsonObject'];
    };
    MessagesSeenEvent: {
      conversation_id: string;
      seen_up_to_seq: number;
      seen_at: components['schemas']['IsoTimestamp'];
    };
    Note: {
      id: string;
      /** @constant */
      object: 'note';
      body: string;
      content_type: string;
      customer_id: string;
      author_id: number | null;
      account_id: string;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
      author: components['schemas']['User'] | null;
      customer: components['schemas']['Customer'] | null;
    };
    Ok: {
      /** @constant */
      ok: true;
    };
    OnboardingStatus: {
      has_configured_inbox: boolean;
      has_configured_profile: boolean;
      has_invited_teammates: boolean;
      has_integrations: boolean;
      has_upgraded_subscription: boolean;
    };
    PasswordReset: {
      /** @constant */
      success: true;
      email: string;
    };
    Ping: {
      /** @constant */
      message: 'Pong!';
      params: {
        [key: string]: unknown;
      };
    };
    PresenceDiffEvent: {
      joins: components['schemas']['PresenceStateEvent'];
      leaves: components['schemas']['PresenceStateEvent'];
    };
    PresenceMeta: {
      phx_ref: string;
      online_at: string;
      customer_id?: string | null;
      user_id?: number;
    } & {
      [key: string]: string | number | boolean | null;
    };
    PresenceStateEvent: {
      [key: string]: {
        metas: components['schemas']['PresenceMeta'][];
      };
    };
    PublicSessionReplaySettings: {
      enabled: boolean;
      sample_rate: number;
      excluded_paths: string[];
      notice_text: string | null;
      max_session_bytes: number;
    };
    PublicWidgetSettings: {
      id: string;
      /** @constant */
      object: 'widget_settings';
      account_id: string;
      inbox_id: string;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
      title: string | null;
      subtitle: string | null;
      color: string | null;
      greeting: string | null;
      new_message_placeholder: string | null;
      show_agent_availability: boolean;
      agent_available_text: string | null;
      agent_unavailable_text: string | null;
      require_email_upfront: boolean;
      is_open_by_default: boolean;
      custom_icon_url: string | null;
      iframe_url_override: string | null;
      icon_variant: string;
      email_input_placeholder: string | null;
      new_messages_notification_text: string | null;
      is_branding_hidden: boolean;
      base_url: string | null;
      away_message: string | null;
      account: components['schemas']['AccountBasic'];
      session_replay: components['schemas']['PublicSessionReplaySettings'];
    };
    PushPayload: {
      /** @enum {string} */
      kind: 'new_conversation' | 'new_message' | 'mention';
      title: string;
      body: string;
      tag: string;
      url: string;
      conversation_id: string;
      message_id: string;
    };
    PushSubscription: {
      id: string;
      /** @constant */
      object: 'push_subscription';
      user_id: number;
      endpoint: string;
      user_agent: string | null;
      created_at: components['schemas']['IsoTimestamp'];
      last_success_at: components['schemas']['IsoTimestamp'] | null;
    };
    RecordChangedEvent: {
      /** @enum {string} */
      kind: 'customer' | 'company' | 'issue' | 'scheduled_messages' | 'conversation_rating';
      id: string;
      /** @enum {string} */
      action: 'created' | 'updated' | 'deleted';
    };
    Registration: {
      token: string;
      renew_token: string;
      account_id: string;
      user_id: number;
      email: string;
    };
    ReplayEvent: {
      seq: number;
      timestamp: number;
      event: {
        [key: string]: unknown;
      };
    };
    ReplayEventsBroadcast: {
      session_id: string;
      events: {
        seq: number;
        event: {
          [key: string]: unknown;
        };
      }[];
    };
    ReplayEventsError: {
      /** @enum {string} */
      reason: 'disabled' | 'too_large' | 'invalid' | 'session_cap' | 'busy';
    };
    ReplayEventsPage: {
      data: components['schemas']['ReplayEvent'][];
      next_after_seq: number | null;
    };
    ReplayEventsPush: {
      events: {
        seq: number;
        event: components['schemas']['RrwebEvent'];
      }[];
    };
    ReplayEventsReply: {
      acked_seq: number;
    };
    ReplySuggestion: {
      /** @constant */
      object: 'reply_suggestion';
      conversation_id: string;
      text: string;
      based_on_seq: number;
      saved_replies_used: number;
      model: string;
    };
    Report: {
      messages_by_date: {
        date: string;
        count: number;
      }[];
      conversations_by_date: {
        date: string;
        count: number;
      }[];
      messages_per_user: {
        user: {
          id: number;
          email: string;
        };
        count: number;
      }[];
      messages_by_weekday: {
        day: string;
        total: number;
        average: number;
      }[];
      sent_messages_by_date: {
        date: string;
        count: number;
      }[];
      received_messages_by_date: {
        date: string;
        count: number;
      }[];
      messages_by_date_and_source: {
        date: string;
        source: string;
        count: number;
      }[];
      average_time_to_first_reply: number;
      median_time_to_first_reply: number;
      p90_time_to_first_reply: number;
      first_reply_metrics_by_week: {
        [key: string]: unknown;
      }[];
      average_time_to_resolution: number;
      median_time_to_resolution: number;
      p90_time_to_resolution: number;
      resolution_metrics_by_week: {
        [key: string]: unknown;
      }[];
      per_agent: {
        user: {
          id: number;
          email: string;
        };
        conversations_assigned: number;
        messages_sent: number;
        median_first_reply: number | null;
      }[];
    };
    RrwebEvent: {
      timestamp: number;
    } & {
      [key: string]: unknown;
    };
    /** @enum {string} */
    ScheduledCancelReason: 'agent' | 'customer_replied';
    ScheduledMessageChange: {
      send_at: components['schemas']['IsoTimestamp'];
    };
    ScheduledMessageInput: {
      client_id: string;
      body?: string | null;
      private?: boolean;
      send_at: components['schemas']['IsoTimestamp'];
      cancel_on_customer_reply?: boolean;
      close_conversation?: boolean;
    };
    ScheduledMessage: {
      /** @constant */
      object: 'scheduled_message';
      id: string;
      conversation_id: string;
      created_by: number | null;
      client_id: string;
      body: string | null;
      private: boolean;
      send_at: components['schemas']['IsoTimestamp'];
      cancel_on_customer_reply: boolean;
      close_conversation: boolean;
      status: components['schemas']['ScheduledStatus'];
      cancel_reason: components['schemas']['ScheduledCancelReason'] | null;
      message_id: string | null;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    /** @enum {string} */
    ScheduledStatus: 'scheduled' | 'sent' | 'cancelled';
    SearchCustomerHit: {
      id: string;
      /** @enum {string} */
      matched: 'profile' | 'note';
      rank: number;
      snippet: components['schemas']['SearchSegment'][];
      customer: components['schemas']['SearchCustomer'];
      latest_conversation: {
        id: string;
        status: string;
      } | null;
    };
    SearchCustomer: {
      id: string;
      name: string | null;
      email: string | null;
    };
    SearchMessageHit: {
      id: string;
      conversation_id: string;
      seq: number;
      type: string;
      private: boolean;
      /** @enum {string} */
      author: 'customer' | 'agent';
      inserted_at: components['schemas']['IsoTimestamp'];
      rank: number;
      snippet: components['schemas']['SearchSegment'][];
      conversation: {
        id: string;
        status: string;
        assignee_id: number | null;
        inbox_id: string | null;
        subject: string | null;
        customer: components['schemas']['SearchCustomer'] | null;
      };
    };
    SearchResult: {
      data: {
        query: string;
        messages: {
          /** @enum {string} */
          mode: 'words' | 'partial' | 'none';
          data: components['schemas']['SearchMessageHit'][];
          next: string | null;
        };
        customers: {
          /** @enum {string} */
          mode: 'words' | 'partial' | 'none';
          data: components['schemas']['SearchCustomerHit'][];
          next: string | null;
        };
      };
    };
    SearchSegment: {
      text: string;
      hit: boolean;
    };
    SessionReplaySettings: {
      enabled: boolean;
      sample_rate: number;
      excluded_paths: string[];
      notice_text: string | null;
      max_session_bytes: number;
      retention_days: number;
    };
    Session: {
      user_id: number;
      email: string;
      account_id: string;
      token: string;
      renew_token: string;
      subscription: null;
    };
    SessionsRevoked: {
      revoked: number;
    };
    ShareLink: {
      /** @constant */
      ok: true;
      token: string;
    };
    ShareRevoked: {
      /** @constant */
      ok: true;
      revoked: number;
    };
    SharedConversation: {
      id: string;
      /** @constant */
      object: 'conversation';
      /** @enum {string} */
      status: 'open' | 'closed' | 'snoozed';
      subject: string | null;
      created_at: components['schemas']['IsoTimestamp'];
      closed_at: components['schemas']['IsoTimestamp'] | null;
      last_activity_at: components['schemas']['IsoTimestamp'];
      customer: {
        name: string | null;
      };
      messages: components['schemas']['SharedMessage'][];
    };
    SharedMessageAuthor:
      | {
          /** @constant */
          kind: 'agent';
          name: string | null;
          profile_photo_url: string | null;
        }
      | {
          /** @constant */
          kind: 'customer';
          name: string | null;
        }
      | {
          /** @constant */
          kind: 'system';
          name: null;
        };
    SharedMessage: {
      id: string;
      /** @constant */
      object: 'message';
      seq: number;
      body: string | null;
      /** @enum {string} */
      type: 'reply' | 'note' | 'bot' | 'system';
      content_type: string;
      created_at: components['schemas']['IsoTimestamp'];
      sent_at: components['schemas']['IsoTimestamp'] | null;
      author: components['schemas']['SharedMessageAuthor'];
      attachments: components['schemas']['File'][];
    };
    SigningSecret: {
      signing_secret: string;
    };
    SlaAlertEvent: {
      conversation_id: string;
      metric: components['schemas']['SlaMetric'];
      /** @enum {string} */
      kind: 'warning' | 'breach';
      policy_name: string;
      due_at: components['schemas']['IsoTimestamp'];
      recipient_ids: number[] | null;
    };
    SlaChangedEvent: {
      conversation_id: string;
      targets: components['schemas']['SlaTarget'][];
    };
    /** @enum {string} */
    SlaMetric: 'first_response' | 'next_response' | 'resolution';
    SlaPolicyInput: {
      name: string;
      position?: number;
      enabled?: boolean;
      inbox_id?: string | null;
      priority?: ('priority' | 'not_priority') | null;
      tag_id?: string | null;
      first_response_minutes?: number | null;
      next_response_minutes?: number | null;
      resolution_minutes?: number | null;
      warn_before_minutes?: number;
      escalate_to_user_id?: number | null;
    };
    SlaPolicy: {
      /** @constant */
      object: 'sla_policy';
      id: string;
      name: string;
      position: number;
      enabled: boolean;
      inbox_id: string | null;
      priority: ('priority' | 'not_priority') | null;
      tag_id: string | null;
      first_response_minutes: number | null;
      next_response_minutes: number | null;
      resolution_minutes: number | null;
      warn_before_minutes: number;
      escalate_to_user_id: number | null;
      inserted_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    SlaPolicyUpdate: {
      name?: string;
      position?: number;
      enabled?: boolean;
      inbox_id?: string | null;
      priority?: ('priority' | 'not_priority') | null;
      tag_id?: string | null;
      first_response_minutes?: number | null;
      next_response_minutes?: number | null;
      resolution_minutes?: number | null;
      warn_before_minutes?: number;
      escalate_to_user_id?: number | null;
    };
    SlaReport: {
      completed: number;
      met: number;
      breached: number;
      attainment: number | null;
      per_metric: {
        completed: number;
        met: number;
        breached: number;
        attainment: number | null;
        metric: components['schemas']['SlaMetric'];
      }[];
      per_policy: {
        completed: number;
        met: number;
        breached: number;
        attainment: number | null;
        policy_id: string | null;
        policy_name: string;
      }[];
      per_agent: {
        completed: number;
        met: number;
        breached: number;
        attainment: number | null;
        agent: {
          id: number;
          email: string;
          display_name: string | null;
        } | null;
      }[];
      per_inbox: {
        completed: number;
        met: number;
        breached: number;
        attainment: number | null;
        inbox_id: string | null;
        inbox_name: string | null;
      }[];
    };
    /** @enum {string} */
    SlaStatus: 'active' | 'paused' | 'met' | 'breached' | 'cancelled';
    SlaTarget: {
      /** @constant */
      object: 'sla_target';
      conversation_id: string;
      metric: components['schemas']['SlaMetric'];
      status: components['schemas']['SlaStatus'];
      policy_id: string | null;
      policy_name: string;
      target_minutes: number;
      started_at: components['schemas']['IsoTimestamp'];
      due_at: components['schemas']['IsoTimestamp'] | null;
      remaining_ms: number;
      warned_at: components['schemas']['IsoTimestamp'] | null;
      breached_at: components['schemas']['IsoTimestamp'] | null;
      completed_at: components['schemas']['IsoTimestamp'] | null;
      assignee_id: number | null;
      inbox_id: string | null;
    };
    SlackAuthorizationResponse: {
      data: components['schemas']['SlackIntegration'] | null;
      configured: boolean;
    };
    SlackChannel: {
      id: string;
      /** @constant */
      object: 'slack_channel';
      inbox_id: string;
      channel_id: string;
      channel_name: string | null;
      /** @enum {string} */
      kind: 'reply' | 'support';
      created_at?: components['schemas']['IsoTimestamp'];
    };
    SlackIntegration: {
      id: string;
      /** @constant */
      object: 'slack_authorization';
      account_id: string;
      team_id: string;
      team_name: string | null;
      bot_user_id: string | null;
      app_id: string | null;
      scope: string | null;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
      channels: components['schemas']['SlackChannel'][];
    };
    SlackNotifyResult: {
      /** @constant */
      ok: true;
      channel: string;
      ts: string;
    };
    SlackWorkspaceChannel: {
      id: string;
      name: string;
      is_private: boolean;
      is_member: boolean;
    };
    Tag: {
      id: string;
      /** @constant */
      object: 'tag';
      name: string;
      description: string | null;
      color: string | null;
      account_id: string;
      creator_id: number | null;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    TwilioAuthResult:
      | {
          /** @constant */
          ok: true;
          authorization: components['schemas']['TwilioIntegration'];
        }
      | {
          /** @constant */
          ok: false;
          error: string;
        };
    TwilioIntegration: {
      id: string;
      /** @constant */
      object: 'twilio_authorization';
      account_id: string;
      twilio_account_sid: string;
      from_phone_number: string | null;
      inbox_id: string | null;
      webhook_url: string | null;
      status_callback_url: string | null;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    TwilioSendResult: {
      /** @constant */
      ok: true;
      sid: string;
      status: string | null;
      to: string;
      from: string;
      customer_id?: string;
      conversation_id?: string | null;
    };
    TypingEvent:
      components['schemas']['CustomerTypingEvent'] | components['schemas']['AgentTypingEvent'] | components['schemas']['AiTypingEvent'];
    UnreadCounts: {
      conversations: {
        [key: string]: number;
      };
      inboxes: {
        [key: string]: number;
      };
    } & {
      [key: string]:
        | number
        | {
            [key: string]: number;
          };
    };
    UploadLimits: {
      max_bytes: number;
      content_types: string[];
      max_files_per_message: number;
    };
    UserProfile: {
      id: number;
      /** @constant */
      object: 'user';
      email: string;
      /** @enum {string} */
      role: 'user' | 'admin';
      account_id: string;
      created_at: components['schemas']['IsoTimestamp'];
      disabled_at: components['schemas']['IsoTimestamp'] | null;
      archived_at: components['schemas']['IsoTimestamp'] | null;
      full_name: string | null;
      display_name: string | null;
      profile_photo_url: string | null;
      user_id: number;
      slack_user_id: string | null;
      signature: string | null;
    };
    UserRemoval: {
      /** @constant */
      object: 'user_removal';
      user_id: number;
      reassigned_to: number | null;
      conversations_moved: number;
    };
    User: {
      id: number;
      /** @constant */
      object: 'user';
      email: string;
      /** @enum {string} */
      role: 'user' | 'admin';
      account_id: string;
      created_at: components['schemas']['IsoTimestamp'];
      disabled_at: components['schemas']['IsoTimestamp'] | null;
      archived_at: components['schemas']['IsoTimestamp'] | null;
      full_name: string | null;
      display_name: string | null;
      profile_photo_url: string | null;
    };
    UserSettings: {
      id: number;
      /** @constant */
      object: 'user_settings';
      user_id: number;
      email_alert_on_new_message: boolean;
      email_alert_on_new_conversation: boolean;
      email_alert_on_mention: boolean;
      email_alert_on_sla: boolean;
      desktop_notifications: boolean;
      notification_sound: boolean;
      notify_on_new_conversation: boolean;
      notify_on_new_message: boolean;
      notify_on_mention: boolean;
      expo_push_token: string | null;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    UserWorkload: {
      /** @constant */
      object: 'user_workload';
      user_id: number;
      open_conversations: number;
    };
    VapidPublicKey: {
      public_key: string;
    };
    WebhookBody:
      | {
          /** @constant */
          event: 'message:created';
          payload: components['schemas']['Message'];
        }
      | {
          /** @constant */
          event: 'conversation:created';
          payload: components['schemas']['Conversation'];
        }
      | {
          /** @constant */
          event: 'conversation:updated';
          payload: components['schemas']['Conversation'];
        }
      | {
          /** @constant */
          event: 'customer:created';
          payload: components['schemas']['Customer'];
        }
      | {
          /** @constant */
          event: 'conversation:rated';
          payload: components['schemas']['ConversationRating'];
        };
    WebhookDeliveryPage: {
      data: components['schemas']['WebhookDelivery'][];
      next: string | null;
      limit: number;
    };
    WebhookDelivery: {
      id: string;
      /** @constant */
      object: 'webhook_delivery';
      event_subscription_id: string;
      event: string;
      /** @enum {string} */
      status: 'sending' | 'retrying' | 'delivered' | 'failed';
      attempts: number;
      response_code: number | null;
      last_error: string | null;
      delivered_at: components['schemas']['IsoTimestamp'] | null;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
    };
    WebhookVerification: {
      verified: boolean;
      error?: string;
    };
    WebhookVerifyBody: {
      /** @constant */
      event: 'webhook:verify';
      payload: string;
    };
    WidgetSettings: {
      id: string;
      /** @constant */
      object: 'widget_settings';
      account_id: string;
      inbox_id: string;
      created_at: components['schemas']['IsoTimestamp'];
      updated_at: components['schemas']['IsoTimestamp'];
      title: string | null;
      subtitle: string | null;
      color: string | null;
      greeting: string | null;
      new_message_placeholder: string | null;
      show_agent_availability: boolean;
      agent_available_text: string | null;
      agent_unavailable_text: string | null;
      require_email_upfront: boolean;
      is_open_by_default: boolean;
      custom_icon_url: string | null;
      iframe_url_override: string | null;
      icon_variant: string;
      email_input_placeholder: string | null;
      new_messages_notification_text: string | null;
      is_branding_hidden: boolean;
      base_url: string | null;
      away_message: string | null;
      host: string | null;
      pathname: string | null;
      last_seen_at: components['schemas']['IsoTimestamp'] | null;
    };
    Error: {
      error: {
        status: number;
        message: string;
        errors?: {
          [key: string]: string[];
        };
      };
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getApiPing: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ping'];
          };
        };
      };
    };
  };
  postApiPing: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ping'];
          };
        };
      };
    };
  };
  postApiRegistration: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Registration'];
          };
        };
      };
    };
  };
  postApiSession: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          user: {
            email: string;
            password: string;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Session'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiSession: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['EmptyObject'];
          };
        };
      };
    };
  };
  postApiSessionRenew: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Session'];
          };
        };
      };
    };
  };
  deleteApiSessions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SessionsRevoked'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Me'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiVerifyEmail: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          token: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['EmailVerified'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiVerifyEmailResend: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ok'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiCustomers: {
    parameters: {
      query?: {
        page?: number;
        after?: string;
        page_size?: number;
        limit?: number;
        name?: string;
        email?: string;
        phone?: string;
        host?: string;
        browser?: string;
        os?: string;
        current_url?: string;
        pathname?: string;
        time_zone?: string;
        external_id?: string;
        browser_version?: string;
        browser_language?: string;
        company_id?: string;
        include_anonymous?: 'true' | 'false' | '1' | '0';
        q?: string;
        tag_id?: string;
        tag_ids?: string[];
        last_seen_after?: string;
        last_seen_before?: string;
        format?: 'json' | 'csv';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of customers; with format=csv, text/csv instead */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CustomerPage'];
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiCustomers: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same body within 24 h answers the first result (header `Idempotent-Replayed: true`) and creates nothing; with another body, 422. 1–255 visible ASCII characters; at least 16 for anonymous callers. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CreatedCustomer'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiConversations: {
    parameters: {
      query?: {
        status?: 'open' | 'closed' | 'snoozed';
        priority?: 'priority' | 'not_priority';
        read?: 'true' | 'false' | '1' | '0';
        assignee_id?: 'me' | '' | string;
        inbox_id?: string;
        customer_id?: string;
        source?: string;
        tag_id?: string;
        q?: string;
        mentioning?: 'me' | string;
        has_seen_mention?: 'true' | 'false' | '1' | '0';
        limit?: number;
        after?: string;
        before?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ConversationPage'];
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiConversations: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same body within 24 h answers the first result (header `Idempotent-Replayed: true`) and creates nothing; with another body, 422. 1–255 visible ASCII characters; at least 16 for anonymous callers. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          conversation: {
            account_id?: unknown;
            customer_id?: string;
            inbox_id?: string | null;
            /** @enum {string} */
            source?: 'chat' | 'slack' | 'email' | 'sms' | 'api' | 'sandbox';
            subject?: string | null;
            /** @constant */
            status?: 'open';
            customer_email?: string;
          } & {
            [key: string]: unknown;
          };
          message?:
            | ({
                /** @default  */
                body?: string;
                sent_at?: string | null;
                client_message_id?: string | null;
                file_ids?: string[];
              } & {
                [key: string]: unknown;
              })
            | null;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Conversation'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The account requires the customer token and none was sent, or an agent token is invalid */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiConversationsCount: {
    parameters: {
      query?: {
        status?: 'open' | 'closed' | 'snoozed';
        priority?: 'priority' | 'not_priority';
        read?: 'true' | 'false' | '1' | '0';
        assignee_id?: 'me' | '' | string;
        inbox_id?: string;
        customer_id?: string;
        source?: string;
        tag_id?: string;
        q?: string;
        mentioning?: 'me' | string;
        has_seen_mention?: 'true' | 'false' | '1' | '0';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Count'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiConversationsUnread: {
    parameters: {
      query?: {
        tag_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['UnreadCounts'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiMessagesCount: {
    parameters: {
      query?: {
        conversation_id?: string;
        customer_id?: string;
        user_id?: number;
        source?: string;
        type?: 'reply' | 'note' | 'bot' | 'system';
        private?: 'true' | 'false' | '1' | '0';
        body?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Count'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiMessages: {
    parameters: {
      query?: {
        conversation_id?: string;
        customer_id?: string;
        user_id?: number;
        source?: string;
        type?: 'reply' | 'note' | 'bot' | 'system';
        private?: 'true' | 'false' | '1' | '0';
        body?: string;
        after_seq?: number;
        before_seq?: number;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MessagePage'];
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiMessages: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          message: {
            conversation_id: string;
            body: string;
            private?: boolean;
            /** @constant */
            type?: 'note';
            file_ids?: string[];
            mentioned_user_ids?: number[];
            client_message_id?: string | null;
            customer_id?: string | null;
            user_id?: number | null;
            metadata?: {
              [key: string]: unknown;
            };
            subject?: string | null;
            source?: string;
            sent_at?: string | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Message'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiSearch: {
    parameters: {
      query?: {
        q?: string;
        scope?: 'all' | 'messages' | 'customers';
        status?: 'open' | 'closed' | 'snoozed';
        assignee_id?: 'me' | '' | string;
        tag_id?: string;
        inbox_id?: string;
        from?: string;
        to?: string;
        limit?: number;
        after?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SearchResult'];
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiConversationsShared: {
    parameters: {
      query: {
        conversation_id: string;
        token: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SharedConversation'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiConversationsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ExpandedConversation'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiConversationsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          conversation: {
            /** @enum {string} */
            status?: 'open' | 'closed';
            /** @enum {string} */
            priority?: 'priority' | 'not_priority';
            assignee_id?: number | null;
            snoozed_until?: string | null;
            inbox_id?: string;
            subject?: string | null;
            read?: boolean;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Conversation'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiConversationsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiConversationsIdArchive: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Conversation'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiConversationsIdHandBack: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Conversation'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiConversationsCustomer: {
    parameters: {
      query: {
        before_seq?: number;
        conversation_id?: string;
        limit?: number;
        customer_id: string;
        account_id: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CustomerConversation'][];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The account requires the customer token and none was sent, or an agent token is invalid */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiMessagesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Message'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiConversationsIdShare: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ShareLink'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiConversationsIdShare: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ShareRevoked'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiConversationsIdPrevious: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ExpandedConversation'] | null;
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiConversationsIdRelated: {
    parameters: {
      query?: {
        limit?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ExpandedConversation'][];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiConversationsIdTags: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          tag_id: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ok'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiConversationsIdTagsTagId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        tag_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ok'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiConversationsIdScheduledMessages: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ScheduledMessage'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiConversationsIdScheduledMessages: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          scheduled_message: {
            client_id: string;
            body?: string | null;
            private?: boolean;
            /** Format: date-time */
            send_at: string;
            cancel_on_customer_reply?: boolean;
            close_conversation?: boolean;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ScheduledMessage'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiConversationsIdScheduledMessagesScheduledId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        scheduled_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          scheduled_message: {
            /** Format: date-time */
            send_at: string;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ScheduledMessage'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiConversationsIdScheduledMessagesScheduledId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        scheduled_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ScheduledMessage'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiUpload: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['File'];
          };
        };
      };
      /** @description The account requires the customer token and none was sent, or an agent token is invalid */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiUploadLimits: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['UploadLimits'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiFilesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The file (its own content type), or 302 to a short-lived presigned URL (S3) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/octet-stream': string;
        };
      };
      /** @description Redirect */
      302: {
        headers: {
          /** @description Where to go */
          Location?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiFilesIdFilename: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        filename: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The file (its own content type), or 302 to a short-lived presigned URL (S3) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/octet-stream': string;
        };
      };
      /** @description Redirect */
      302: {
        headers: {
          /** @description Where to go */
          Location?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiAccountsMeSecurity: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AccountSecurity'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiAccountsMeSecurity: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          security: {
            require_identity_verification?: boolean;
            require_customer_token?: boolean;
            allowed_origins?: string[];
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AccountSecurity'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiAccountsMeIdentityVerificationSecret: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['IdentityVerificationSecret'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiAccountsMeIdentityVerificationSecretRotate: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['IdentityVerificationSecret'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiAccountsMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Account'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiAccountsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          account: {
            company_name?: string;
            company_logo_url?: string | null;
            time_zone?: string | null;
            working_hours?: {
              /** @enum {string} */
              day:
                'everyday' | 'weekdays' | 'weekends' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
              start_minute: number;
              end_minute: number;
            }[];
            settings?: {
              disable_automated_reply_emails?: boolean | null;
              conversation_reminders_enabled?: boolean | null;
              conversation_reminder_hours_interval?: number | null;
              max_num_conversation_reminders?: number | null;
            };
            allowed_origins?: string[];
            require_identity_verification?: boolean;
            ai_enabled?: boolean;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Account'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiAccountsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          confirm?: string;
        };
      };
    };
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiUsers: {
    parameters: {
      query?: {
        email?: string;
        role?: 'user' | 'admin';
        active?: 'true' | 'false' | '1' | '0';
        has_valid_email?: 'true' | 'false' | '1' | '0';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['User'][];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiUsersId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['User'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiUsersId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ok'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiUsersIdRemove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reassign_to: number | null;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['UserRemoval'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiUsersIdOpenConversations: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['UserWorkload'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiUsersIdDisable: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reassign_to?: number | null;
          keep_conversations?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['User'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiUsersIdEnable: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['User'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiUsersIdArchive: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reassign_to?: number | null;
          keep_conversations?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['User'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiUsersIdRole: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          role: 'user' | 'admin';
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['User'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiProfile: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['UserProfile'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiProfile: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          user_profile: {
            full_name?: string | null;
            display_name?: string | null;
            profile_photo_url?: (unknown | (string | null)) | '';
            slack_user_id?: string | null;
            signature?: string | null;
            profile_photo_file_id?: string;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['UserProfile'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiUserSettings: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['UserSettings'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiUserSettings: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          user_settings: {
            email_alert_on_new_message?: boolean;
            email_alert_on_new_conversation?: boolean;
            email_alert_on_mention?: boolean;
            email_alert_on_sla?: boolean;
            expo_push_token?: string | null;
            desktop_notifications?: boolean;
            notification_sound?: boolean;
            notify_on_new_conversation?: boolean;
            notify_on_new_message?: boolean;
            notify_on_mention?: boolean;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['UserSettings'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiPushVapidPublicKey: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['VapidPublicKey'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiPushSubscriptions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['PushSubscription'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiPushSubscriptions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          push_subscription: {
            endpoint: string;
            expirationTime?: number | null;
            keys: {
              p256dh: string;
              auth: string;
            };
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['PushSubscription'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiPushSubscriptionsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiCustomersIdentify: {
    parameters: {
      query?: {
        external_id?: string;
        account_id?: string;
        email?: string;
        host?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['IdentifiedCustomer'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiCustomersIdExists: {
    parameters: {
      query?: {
        account_id?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: boolean;
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The account requires the customer token and none was sent, or an agent token is invalid */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiCustomersIdMetadata: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          metadata: {
            email?: string | number | null;
            name?: string | number | null;
            phone?: string | number | null;
            external_id?: string | number | null;
            browser?: string | number | null;
            browser_version?: string | number | null;
            browser_language?: string | number | null;
            os?: string | number | null;
            current_url?: string | null;
            host?: string | number | null;
            pathname?: string | number | null;
            time_zone?: string | number | null;
            lib?: string | number | null;
            screen_height?: number | null;
            screen_width?: number | null;
            metadata?: {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Customer'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The account requires the customer token and none was sent, or an agent token is invalid */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiCustomersId: {
    parameters: {
      query?: {
        expand?: ('conversations' | 'notes' | 'tags' | 'company' | 'messages' | 'issues')[];
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CustomerDetail'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiCustomersId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          customer: {
            email?: string | number | null;
            name?: string | number | null;
            phone?: string | number | null;
            external_id?: string | number | null;
            profile_photo_url?: string | number | null;
            browser?: string | number | null;
            browser_version?: string | number | null;
            browser_language?: string | number | null;
            os?: string | number | null;
            current_url?: string | null;
            host?: string | number | null;
            pathname?: string | number | null;
            time_zone?: string | number | null;
            lib?: string | number | null;
            screen_height?: number | null;
            screen_width?: number | null;
            metadata?: {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Customer'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiCustomersId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiTags: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Tag'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiTags: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          tag: {
            name: string;
            description?: string | null;
            color?: string | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Tag'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiTagsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Tag'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiTagsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          tag: {
            name?: string;
            description?: string | null;
            color?: string | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Tag'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiTagsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiCustomersIdTags: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          tag_id: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ok'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiCustomersIdTagsTagId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        tag_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ok'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiNotes: {
    parameters: {
      query?: {
        customer_id?: string;
        author_id?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Note'][];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiNotes: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          note: {
            body: string;
            customer_id: string;
            /** @enum {string} */
            content_type?: 'text' | 'markdown' | 'html';
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Note'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiNotesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Note'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiNotesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          note: {
            body?: string;
            /** @enum {string} */
            content_type?: 'text' | 'markdown' | 'html';
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Note'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiNotesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiCannedResponses: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CannedResponse'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiCannedResponses: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          canned_response: {
            name: string;
            content: string;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CannedResponse'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiCannedResponsesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CannedResponse'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiCannedResponsesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          canned_response: {
            name?: string;
            content?: string;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CannedResponse'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiCannedResponsesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiInboxes: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Inbox'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiInboxes: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          inbox: {
            name: string;
            description?: string | null;
            is_primary?: boolean;
            is_private?: boolean;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Inbox'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiInboxesPrimary: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Inbox'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiInboxesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Inbox'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiInboxesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          inbox: {
            name?: string;
            description?: string | null;
            is_primary?: boolean;
            is_private?: boolean;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Inbox'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiInboxesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiInboxesIdSettings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['InboxSettings'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiInboxesIdSettings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          settings: {
            auto_assign?: boolean;
            auto_assign_max_open?: number;
            /** @enum {string} */
            auto_assign_rotation?: 'all_agents' | 'members';
            member_ids?: number[];
            ai_enabled?: boolean | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['InboxSettings'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiBusinessContext: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BusinessContext'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiBusinessContext: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          business_context: {
            business_name?: string;
            business_description?: string | null;
            services?: {
              [key: string]: {
                name?: string | null;
                description?: string | null;
                price?: (string | number) | null;
              } & {
                [key: string]: unknown;
              };
            };
            scheduling_link?: string | null;
            faqs?: {
              [key: string]: {
                question?: string | null;
                answer?: string | null;
              } & {
                [key: string]: unknown;
              };
            };
            additional_context?: string | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BusinessContext'];
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiBusinessContext: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          business_context: {
            business_name?: string;
            business_description?: string | null;
            services?: {
              [key: string]: {
                name?: string | null;
                description?: string | null;
                price?: (string | number) | null;
              } & {
                [key: string]: unknown;
              };
            };
            scheduling_link?: string | null;
            faqs?: {
              [key: string]: {
                question?: string | null;
                answer?: string | null;
              } & {
                [key: string]: unknown;
              };
            };
            additional_context?: string | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BusinessContext'];
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiAiTest: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          question: string;
          business_context?: {
            business_name?: string;
            business_description?: string | null;
            services?: {
              [key: string]: {
                name?: string | null;
                description?: string | null;
                price?: (string | number) | null;
              } & {
                [key: string]: unknown;
              };
            };
            scheduling_link?: string | null;
            faqs?: {
              [key: string]: {
                question?: string | null;
                answer?: string | null;
              } & {
                [key: string]: unknown;
              };
            };
            additional_context?: string | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AiTestResult'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiAccountsMeCopilot: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CopilotSettings'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiAccountsMeCopilot: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          copilot: {
            enabled: boolean;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CopilotSettings'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiConversationsIdSummary: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ConversationSummaryState'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiConversationsIdCopilotSummary: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /**
           * @default manual
           * @enum {string}
           */
          trigger?: 'manual' | 'handoff';
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ConversationSummaryState'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiConversationsIdCopilotSuggest: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': Record<string, never>;
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ReplySuggestion'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiCopilotImprove: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          text: string;
          /** @enum {string} */
          mode: 'friendlier' | 'more_formal' | 'shorter' | 'fix_grammar' | 'translate';
          conversation_id?: string | null;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ImprovedText'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiWidgetSettings: {
    parameters: {
      query?: {
        account_id?: string;
        inbox_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['PublicWidgetSettings'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiWidgetSettings: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          widget_settings: {
            inbox_id?: string | null;
            title?: string | null;
            subtitle?: string | null;
            color?: string | null;
            greeting?: string | null;
            new_message_placeholder?: string | null;
            show_agent_availability?: boolean;
            agent_available_text?: string | null;
            agent_unavailable_text?: string | null;
            require_email_upfront?: boolean;
            is_open_by_default?: boolean;
            is_branding_hidden?: boolean;
            custom_icon_url?: (unknown | (string | null)) | '';
            iframe_url_override?: (unknown | (string | null)) | '';
            /** @enum {string} */
            icon_variant?: 'outlined' | 'filled';
            email_input_placeholder?: string | null;
            new_messages_notification_text?: string | null;
            base_url?: (unknown | (string | null)) | '';
            away_message?: string | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['WidgetSettings'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiWidgetSettingsMetadata: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          account_id?: string;
          inbox_id?: string | null;
          metadata?: unknown;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['WidgetSettings'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiPersonalApiKeys: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ApiKey'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiPersonalApiKeys: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          label: string;
          /**
           * @default admin
           * @enum {string}
           */
          scope?: 'read' | 'write' | 'admin';
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ApiKey'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiPersonalApiKeysId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ApiKey'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiPersonalApiKeysId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiUserInvitations: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Invitation'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiUserInvitations: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          user_invitation?: {
            email?: string | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Invitation'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiUserInvitationEmails: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          to_address: string;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EmptyObject'];
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiUserInvitationsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Invitation'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiUserInvitationsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          user_invitation: {
            email?: string | null;
            /** Format: date-time */
            expires_at?: string;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Invitation'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiUserInvitationsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiResetPassword: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          token: string;
          password: string;
          password_confirmation: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['PasswordReset'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiResetPassword: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          email: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ok'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiDevMailbox: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['MailboxSummary'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiDevMailboxLatest: {
    parameters: {
      query: {
        to: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['MailboxMessage'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiDevMailboxId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['MailboxMessage'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiEventSubscriptions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['EventSubscription'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiEventSubscriptions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          event_subscription: {
            webhook_url: string;
            scope?: string | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CreatedEventSubscription'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiEventSubscriptionsVerify: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          url: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['WebhookVerification'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiEventSubscriptionsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['EventSubscription'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiEventSubscriptionsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          event_subscription: {
            webhook_url?: string;
            scope?: string | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['EventSubscription'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiEventSubscriptionsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiEventSubscriptionsIdVerify: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['EventSubscription'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiEventSubscriptionsIdSigningSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SigningSecret'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiEventSubscriptionsIdSigningSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SigningSecret'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiEventSubscriptionsIdDeliveries: {
    parameters: {
      query?: {
        limit?: number;
        after?: string;
        status?: 'sending' | 'retrying' | 'delivered' | 'failed';
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDeliveryPage'];
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiAccountsMeCsat: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CsatSettings'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiAccountsMeCsat: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          csat: {
            enabled?: boolean;
            /** @enum {string} */
            scale?: 'five' | 'thumbs';
            delay_minutes?: number;
            question?: string;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CsatSettings'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiConversationsIdRatings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ConversationRating'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiCustomersIdRatings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ConversationRating'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiReportingCsat: {
    parameters: {
      query: {
        from_date: string;
        to_date: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CsatReport'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiCustomersIdCsatSurveys: {
    parameters: {
      query: {
        account_id: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CsatSurvey'][];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The account requires the customer token and none was sent, or an agent token is invalid */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiCsatToken: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        token: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CsatSurvey'];
          };
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiCsatToken: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        token: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          score: number;
          comment?: string | null;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CsatSurvey'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getCsatToken: {
    parameters: {
      query?: {
        score?: string;
      };
      header?: never;
      path: {
        token: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The rating page */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html; charset=utf-8': string;
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postCsatToken: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        token: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The rating page, rated */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html; charset=utf-8': string;
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiSlaPolicies: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SlaPolicy'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiSlaPolicies: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          sla_policy: {
            name: string;
            position?: number;
            enabled?: boolean;
            inbox_id?: string | null;
            priority?: ('priority' | 'not_priority') | null;
            tag_id?: string | null;
            first_response_minutes?: number | null;
            next_response_minutes?: number | null;
            resolution_minutes?: number | null;
            warn_before_minutes?: number;
            escalate_to_user_id?: number | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SlaPolicy'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiSlaPoliciesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SlaPolicy'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiSlaPoliciesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          sla_policy: {
            name?: string;
            position?: number;
            enabled?: boolean;
            inbox_id?: string | null;
            priority?: ('priority' | 'not_priority') | null;
            tag_id?: string | null;
            first_response_minutes?: number | null;
            next_response_minutes?: number | null;
            resolution_minutes?: number | null;
            warn_before_minutes?: number;
            escalate_to_user_id?: number | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SlaPolicy'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiSlaPoliciesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiSlaTargets: {
    parameters: {
      query?: {
        breaching_within_minutes?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SlaTarget'][];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiConversationsIdSla: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SlaTarget'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiReportingSla: {
    parameters: {
      query: {
        from_date: string;
        to_date: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SlaReport'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiAutomationRules: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AutomationRule'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiAutomationRules: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          rule: {
            name: string;
            /** @default true */
            enabled?: boolean;
            /** @default 0 */
            position?: number;
            trigger:
              | {
                  /** @constant */
                  type: 'conversation_created';
                }
              | {
                  /** @constant */
                  type: 'message_created';
                  /**
                   * @default any
                   * @enum {string}
                   */
                  author?: 'customer' | 'agent' | 'any';
                }
              | {
                  /** @constant */
                  type: 'status_changed';
                  /** @default null */
                  to?: ('open' | 'closed' | 'snoozed') | null;
                }
              | {
                  /** @constant */
                  type: 'assignee_changed';
                }
              | {
                  /** @constant */
                  type: 'priority_changed';
                }
              | {
                  /** @constant */
                  type: 'tag_changed';
                }
              | {
                  /** @constant */
                  type: 'customer_waiting';
                  after_seconds: number;
                }
              | {
                  /** @constant */
                  type: 'agent_waiting';
                  after_seconds: number;
                };
            /** @default [] */
            conditions?: (
              | {
                  /** @constant */
                  type: 'inbox';
                  inbox_ids: string[];
                }
              | {
                  /** @constant */
                  type: 'channel';
                  sources: string[];
                }
              | {
                  /** @constant */
                  type: 'status';
                  statuses: ('open' | 'closed' | 'snoozed')[];
                }
              | {
                  /** @constant */
                  type: 'priority';
                  /** @enum {string} */
                  priority: 'priority' | 'not_priority';
                }
              | {
                  /** @constant */
                  type: 'assigned';
                  assigned: boolean;
                }
              | {
                  /** @constant */
                  type: 'text_contains';
                  value: string;
                  /** @default false */
                  case_sensitive?: boolean;
                }
              | {
                  /** @constant */
                  type: 'text_regex';
                  pattern: string;
                  /** @default false */
                  case_sensitive?: boolean;
                }
              | {
                  /** @constant */
                  type: 'customer_field';
                  /** @enum {string} */
                  field: 'email' | 'name' | 'phone' | 'external_id' | 'company_name';
                  /** @enum {string} */
                  op: 'equals' | 'contains' | 'present' | 'absent';
                  /** @default  */
                  value?: string;
                }
              | {
                  /** @constant */
                  type: 'working_hours';
                  inside: boolean;
                }
              | {
                  /** @constant */
                  type: 'tag';
                  /** Format: uuid */
                  tag_id: string;
                  /** @default true */
                  present?: boolean;
                }
            )[];
            actions: (
              | {
                  /** @constant */
                  type: 'assign_agent';
                  user_id: number;
                }
              | {
                  /** @constant */
                  type: 'assign_round_robin';
                }
              | {
                  /** @constant */
                  type: 'unassign';
                }
              | {
                  /** @constant */
                  type: 'add_tag';
                  /** Format: uuid */
                  tag_id: string;
                }
              | {
                  /** @constant */
                  type: 'remove_tag';
                  /** Format: uuid */
                  tag_id: string;
                }
              | {
                  /** @constant */
                  type: 'set_priority';
                  /** @enum {string} */
                  priority: 'priority' | 'not_priority';
                }
              | {
                  /** @constant */
                  type: 'snooze';
                  seconds: number;
                }
              | {
                  /** @constant */
                  type: 'close';
                }
              | {
                  /** @constant */
                  type: 'reopen';
                }
              | {
                  /** @constant */
                  type: 'send_message';
                  body: string;
                }
              | {
                  /** @constant */
                  type: 'add_note';
                  body: string;
                }
              | {
                  /** @constant */
                  type: 'send_email';
                  /** Format: email */
                  to: string;
                  subject: string;
                  body: string;
                }
              | {
                  /** @constant */
                  type: 'call_webhook';
                  /** Format: uri */
                  url: string;
                }
            )[];
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AutomationRule'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiAutomationRulesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          rule: {
            name: string;
            /** @default true */
            enabled?: boolean;
            /** @default 0 */
            position?: number;
            trigger:
              | {
                  /** @constant */
                  type: 'conversation_created';
                }
              | {
                  /** @constant */
                  type: 'message_created';
                  /**
                   * @default any
                   * @enum {string}
                   */
                  author?: 'customer' | 'agent' | 'any';
                }
              | {
                  /** @constant */
                  type: 'status_changed';
                  /** @default null */
                  to?: ('open' | 'closed' | 'snoozed') | null;
                }
              | {
                  /** @constant */
                  type: 'assignee_changed';
                }
              | {
                  /** @constant */
                  type: 'priority_changed';
                }
              | {
                  /** @constant */
                  type: 'tag_changed';
                }
              | {
                  /** @constant */
                  type: 'customer_waiting';
                  after_seconds: number;
                }
              | {
                  /** @constant */
                  type: 'agent_waiting';
                  after_seconds: number;
                };
            /** @default [] */
            conditions?: (
              | {
                  /** @constant */
                  type: 'inbox';
                  inbox_ids: string[];
                }
              | {
                  /** @constant */
                  type: 'channel';
                  sources: string[];
                }
              | {
                  /** @constant */
                  type: 'status';
                  statuses: ('open' | 'closed' | 'snoozed')[];
                }
              | {
                  /** @constant */
                  type: 'priority';
                  /** @enum {string} */
                  priority: 'priority' | 'not_priority';
                }
              | {
                  /** @constant */
                  type: 'assigned';
                  assigned: boolean;
                }
              | {
                  /** @constant */
                  type: 'text_contains';
                  value: string;
                  /** @default false */
                  case_sensitive?: boolean;
                }
              | {
                  /** @constant */
                  type: 'text_regex';
                  pattern: string;
                  /** @default false */
                  case_sensitive?: boolean;
                }
              | {
                  /** @constant */
                  type: 'customer_field';
                  /** @enum {string} */
                  field: 'email' | 'name' | 'phone' | 'external_id' | 'company_name';
                  /** @enum {string} */
                  op: 'equals' | 'contains' | 'present' | 'absent';
                  /** @default  */
                  value?: string;
                }
              | {
                  /** @constant */
                  type: 'working_hours';
                  inside: boolean;
                }
              | {
                  /** @constant */
                  type: 'tag';
                  /** Format: uuid */
                  tag_id: string;
                  /** @default true */
                  present?: boolean;
                }
            )[];
            actions: (
              | {
                  /** @constant */
                  type: 'assign_agent';
                  user_id: number;
                }
              | {
                  /** @constant */
                  type: 'assign_round_robin';
                }
              | {
                  /** @constant */
                  type: 'unassign';
                }
              | {
                  /** @constant */
                  type: 'add_tag';
                  /** Format: uuid */
                  tag_id: string;
                }
              | {
                  /** @constant */
                  type: 'remove_tag';
                  /** Format: uuid */
                  tag_id: string;
                }
              | {
                  /** @constant */
                  type: 'set_priority';
                  /** @enum {string} */
                  priority: 'priority' | 'not_priority';
                }
              | {
                  /** @constant */
                  type: 'snooze';
                  seconds: number;
                }
              | {
                  /** @constant */
                  type: 'close';
                }
              | {
                  /** @constant */
                  type: 'reopen';
                }
              | {
                  /** @constant */
                  type: 'send_message';
                  body: string;
                }
              | {
                  /** @constant */
                  type: 'add_note';
                  body: string;
                }
              | {
                  /** @constant */
                  type: 'send_email';
                  /** Format: email */
                  to: string;
                  subject: string;
                  body: string;
                }
              | {
                  /** @constant */
                  type: 'call_webhook';
                  /** Format: uri */
                  url: string;
                }
            )[];
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AutomationRule'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiAutomationRulesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiAutomationMacros: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AutomationMacro'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiAutomationMacros: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          macro: {
            name: string;
            /** @default null */
            shortcut?: string | null;
            actions: (
              | {
                  /** @constant */
                  type: 'assign_agent';
                  user_id: number;
                }
              | {
                  /** @constant */
                  type: 'assign_round_robin';
                }
              | {
                  /** @constant */
                  type: 'unassign';
                }
              | {
                  /** @constant */
                  type: 'add_tag';
                  /** Format: uuid */
                  tag_id: string;
                }
              | {
                  /** @constant */
                  type: 'remove_tag';
                  /** Format: uuid */
                  tag_id: string;
                }
              | {
                  /** @constant */
                  type: 'set_priority';
                  /** @enum {string} */
                  priority: 'priority' | 'not_priority';
                }
              | {
                  /** @constant */
                  type: 'snooze';
                  seconds: number;
                }
              | {
                  /** @constant */
                  type: 'close';
                }
              | {
                  /** @constant */
                  type: 'reopen';
                }
              | {
                  /** @constant */
                  type: 'send_message';
                  body: string;
                }
              | {
                  /** @constant */
                  type: 'add_note';
                  body: string;
                }
              | {
                  /** @constant */
                  type: 'send_email';
                  /** Format: email */
                  to: string;
                  subject: string;
                  body: string;
                }
              | {
                  /** @constant */
                  type: 'call_webhook';
                  /** Format: uri */
                  url: string;
                }
            )[];
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AutomationMacro'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiAutomationMacrosId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          macro: {
            name: string;
            /** @default null */
            shortcut?: string | null;
            actions: (
              | {
                  /** @constant */
                  type: 'assign_agent';
                  user_id: number;
                }
              | {
                  /** @constant */
                  type: 'assign_round_robin';
                }
              | {
                  /** @constant */
                  type: 'unassign';
                }
              | {
                  /** @constant */
                  type: 'add_tag';
                  /** Format: uuid */
                  tag_id: string;
                }
              | {
                  /** @constant */
                  type: 'remove_tag';
                  /** Format: uuid */
                  tag_id: string;
                }
              | {
                  /** @constant */
                  type: 'set_priority';
                  /** @enum {string} */
                  priority: 'priority' | 'not_priority';
                }
              | {
                  /** @constant */
                  type: 'snooze';
                  seconds: number;
                }
              | {
                  /** @constant */
                  type: 'close';
                }
              | {
                  /** @constant */
                  type: 'reopen';
                }
              | {
                  /** @constant */
                  type: 'send_message';
                  body: string;
                }
              | {
                  /** @constant */
                  type: 'add_note';
                  body: string;
                }
              | {
                  /** @constant */
                  type: 'send_email';
                  /** Format: email */
                  to: string;
                  subject: string;
                  body: string;
                }
              | {
                  /** @constant */
                  type: 'call_webhook';
                  /** Format: uri */
                  url: string;
                }
            )[];
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AutomationMacro'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiAutomationMacrosId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiAutomationPreview: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** Format: uuid */
          conversation_id: string;
          /** @enum {string} */
          trigger:
            | 'conversation_created'
            | 'message_created'
            | 'status_changed'
            | 'assignee_changed'
            | 'priority_changed'
            | 'tag_changed'
            | 'customer_waiting'
            | 'agent_waiting';
          message_body?: string;
          rule?: {
            name: string;
            /** @default true */
            enabled?: boolean;
            /** @default 0 */
            position?: number;
            trigger:
              | {
                  /** @constant */
                  type: 'conversation_created';
                }
              | {
                  /** @constant */
                  type: 'message_created';
                  /**
                   * @default any
                   * @enum {string}
                   */
                  author?: 'customer' | 'agent' | 'any';
                }
              | {
                  /** @constant */
                  type: 'status_changed';
                  /** @default null */
                  to?: ('open' | 'closed' | 'snoozed') | null;
                }
              | {
                  /** @constant */
                  type: 'assignee_changed';
                }
              | {
                  /** @constant */
                  type: 'priority_changed';
                }
              | {
                  /** @constant */
                  type: 'tag_changed';
                }
              | {
                  /** @constant */
                  type: 'customer_waiting';
                  after_seconds: number;
                }
              | {
                  /** @constant */
                  type: 'agent_waiting';
                  after_seconds: number;
                };
            /** @default [] */
            conditions?: (
              | {
                  /** @constant */
                  type: 'inbox';
                  inbox_ids: string[];
                }
              | {
                  /** @constant */
                  type: 'channel';
                  sources: string[];
                }
              | {
                  /** @constant */
                  type: 'status';
                  statuses: ('open' | 'closed' | 'snoozed')[];
                }
              | {
                  /** @constant */
                  type: 'priority';
                  /** @enum {string} */
                  priority: 'priority' | 'not_priority';
                }
              | {
                  /** @constant */
                  type: 'assigned';
                  assigned: boolean;
                }
              | {
                  /** @constant */
                  type: 'text_contains';
                  value: string;
                  /** @default false */
                  case_sensitive?: boolean;
                }
              | {
                  /** @constant */
                  type: 'text_regex';
                  pattern: string;
                  /** @default false */
                  case_sensitive?: boolean;
                }
              | {
                  /** @constant */
                  type: 'customer_field';
                  /** @enum {string} */
                  field: 'email' | 'name' | 'phone' | 'external_id' | 'company_name';
                  /** @enum {string} */
                  op: 'equals' | 'contains' | 'present' | 'absent';
                  /** @default  */
                  value?: string;
                }
              | {
                  /** @constant */
                  type: 'working_hours';
                  inside: boolean;
                }
              | {
                  /** @constant */
                  type: 'tag';
                  /** Format: uuid */
                  tag_id: string;
                  /** @default true */
                  present?: boolean;
                }
            )[];
            actions: (
              | {
                  /** @constant */
                  type: 'assign_agent';
                  user_id: number;
                }
              | {
                  /** @constant */
                  type: 'assign_round_robin';
                }
              | {
                  /** @constant */
                  type: 'unassign';
                }
              | {
                  /** @constant */
                  type: 'add_tag';
                  /** Format: uuid */
                  tag_id: string;
                }
              | {
                  /** @constant */
                  type: 'remove_tag';
                  /** Format: uuid */
                  tag_id: string;
                }
              | {
                  /** @constant */
                  type: 'set_priority';
                  /** @enum {string} */
                  priority: 'priority' | 'not_priority';
                }
              | {
                  /** @constant */
                  type: 'snooze';
                  seconds: number;
                }
              | {
                  /** @constant */
                  type: 'close';
                }
              | {
                  /** @constant */
                  type: 'reopen';
                }
              | {
                  /** @constant */
                  type: 'send_message';
                  body: string;
                }
              | {
                  /** @constant */
                  type: 'add_note';
                  body: string;
                }
              | {
                  /** @constant */
                  type: 'send_email';
                  /** Format: email */
                  to: string;
                  subject: string;
                  body: string;
                }
              | {
                  /** @constant */
                  type: 'call_webhook';
                  /** Format: uri */
                  url: string;
                }
            )[];
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AutomationPreview'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiConversationsIdAutomationLog: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AutomationLogEntry'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiConversationsIdMacrosMacroIdRun: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        macro_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['MacroRun'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiReporting: {
    parameters: {
      query?: {
        from_date?: string;
        to_date?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Report'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiGmailSend: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same body within 24 h answers the first result (header `Idempotent-Replayed: true`) and creates nothing; with another body, 422. 1–255 visible ASCII characters; at least 16 for anonymous callers. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** Format: email */
          to?: string;
          /** Format: email */
          recipient?: string;
          /** Format: email */
          from?: string;
          subject: string;
          text?: string;
          message?: string;
          /** Format: uuid */
          inbox_id?: string;
          file_ids?: string[];
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GmailSendResponse'];
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiGoogleAuth: {
    parameters: {
      query?: {
        client?: 'gmail';
        type?: 'support';
        inbox_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AuthorizeUrl'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiGoogleOauth: {
    parameters: {
      query: {
        code: string;
        state: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['GmailConnected'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiGoogleAuthorization: {
    parameters: {
      query?: {
        client?: 'gmail';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['GmailConnection'] | null;
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiGmailConnections: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GmailConnectionList'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiGmailConnectionsIdSync: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ok'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiGmailConnectionsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiGoogleAuthorizationsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiCrmConnections: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CrmConnectionList'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiCrmAuth: {
    parameters: {
      query: {
        provider: 'hubspot' | 'intercom';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AuthorizeUrl'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiCrmOauth: {
    parameters: {
      query: {
        code: string;
        state: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CrmConnected'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiCrmConnectionsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiCustomersIdCrm: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CrmContact'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiCompanies: {
    parameters: {
      query?: {
        limit?: number;
        after?: string;
        name?: string;
        external_id?: string;
        slack_channel_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Company'][];
            /** @description cursor of the next page (pass as `after`); null on the last page or an unpaged answer */
            next: string | null;
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiCompanies: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          company: {
            name: string;
            external_id?: (string | number) | null;
            website_url?: (unknown | (string | null)) | '';
            description?: string | null;
            logo_image_url?: (unknown | (string | null)) | '';
            industry?: string | null;
            slack_channel_id?: string | null;
            slack_channel_name?: string | null;
            slack_team_id?: string | null;
            slack_team_name?: string | null;
            metadata?: {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Company'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiCompaniesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Company'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiCompaniesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          company: {
            name?: string;
            external_id?: (string | number) | null;
            website_url?: (unknown | (string | null)) | '';
            description?: string | null;
            logo_image_url?: (unknown | (string | null)) | '';
            industry?: string | null;
            slack_channel_id?: string | null;
            slack_channel_name?: string | null;
            slack_team_id?: string | null;
            slack_team_name?: string | null;
            metadata?: {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Company'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiCompaniesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiCompaniesIdCustomers: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          customer_id: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ok'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiCompaniesIdCustomersCustomerId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        customer_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ok'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiIssues: {
    parameters: {
      query?: {
        limit?: number;
        after?: string;
        state?: 'unstarted' | 'in_progress' | 'in_review' | 'done' | 'closed';
        title?: string;
        github_issue_url?: string;
        q?: string;
        customer_id?: string;
        conversation_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Issue'][];
            /** @description cursor of the next page (pass as `after`); null on the last page or an unpaged answer */
            next: string | null;
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiIssues: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          issue: {
            title: string;
            body?: string | null;
            /** @enum {string} */
            state?: 'unstarted' | 'in_progress' | 'in_review' | 'done' | 'closed';
            github_issue_url?: string | null;
            assignee_id?: number | null;
            metadata?: {
              [key: string]: unknown;
            };
            customer_id?: string;
            conversation_id?: string;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['IssueWithLinks'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiIssuesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['IssueWithLinks'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiIssuesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          issue: {
            title?: string;
            body?: string | null;
            /** @enum {string} */
            state?: 'unstarted' | 'in_progress' | 'in_review' | 'done' | 'closed';
            github_issue_url?: string | null;
            assignee_id?: number | null;
            metadata?: {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['IssueWithLinks'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiIssuesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiCustomersIdIssues: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          issue_id: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ok'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiCustomersIdIssuesIssueId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        issue_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ok'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiConversationsIdIssues: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          issue_id: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ok'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiConversationsIdIssuesIssueId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        issue_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ok'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiOnboardingStatus: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OnboardingStatus'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiSlackNotify: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same body within 24 h answers the first result (header `Idempotent-Replayed: true`) and creates nothing; with another body, 422. 1–255 visible ASCII characters; at least 16 for anonymous callers. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          text: string;
          /**
           * @default reply
           * @enum {string}
           */
          type?: 'reply' | 'support';
          channel?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SlackNotifyResult'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiSlackAuthorization: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SlackAuthorizationResponse'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiSlackAuthorize: {
    parameters: {
      query?: {
        inbox_id?: string;
        redirect_url?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AuthorizeUrl'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiSlackOauth: {
    parameters: {
      query: {
        code: string;
        state: string;
        redirect_url?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Ok'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiSlackChannels: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SlackWorkspaceChannel'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiSlackChannelMappings: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          mapping: {
            /** Format: uuid */
            inbox_id: string;
            channel_id: string;
            channel_name?: string | null;
            /**
             * @default reply
             * @enum {string}
             */
            kind?: 'reply' | 'support';
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SlackChannel'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiSlackChannelMappingsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiSlackAuthorizationsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiSlackWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Accepted: empty, or the url_verification challenge as plain text */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': string;
        };
      };
    };
  };
  postApiSlackActions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Accepted: empty (the change reaches the root message through its chat.update) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': string;
        };
      };
    };
  };
  getApiGithubAuthorization: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GithubAuthorizationResponse'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiGithubAuthorization: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          notify_customer_on_close: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['GithubConnection'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiGithubAuthorize: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AuthorizeUrl'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiGithubOauth: {
    parameters: {
      query: {
        code: string;
        state: string;
        installation_id: string;
        setup_action?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['GithubConnection'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiGithubAuthorizationsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiGithubRepositories: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['GithubRepository'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiGithubIssuesSearch: {
    parameters: {
      query: {
        q: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['GithubIssueSearchResult'][];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiGithubIssuesLink: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          url: string;
          /** Format: uuid */
          conversation_id?: string;
          /** Format: uuid */
          customer_id?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['GithubIssue'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiConversationsIdGithubIssues: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          repo: string;
          title: string;
          body?: string | null;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['GithubIssue'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiIssuesIdGithub: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['GithubIssueRequest'] | null;
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiGithubWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Accepted: empty */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': string;
        };
      };
    };
  };
  postApiTwilioSend: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same body within 24 h answers the first result (header `Idempotent-Replayed: true`) and creates nothing; with another body, 422. 1–255 visible ASCII characters; at least 16 for anonymous callers. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          to: string;
          body: string;
          /** Format: uuid */
          customer_id?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['TwilioSendResult'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiTwilioAuth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          authorization: {
            twilio_account_sid: string;
            twilio_auth_token: string;
            from_phone_number: string;
            inbox_id?: string | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['TwilioAuthResult'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiTwilioAuthorization: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['TwilioIntegration'] | null;
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiTwilioAuthorizationsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiTwilioWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description An empty TwiML response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/xml': string;
        };
      };
    };
  };
  postApiTwilioStatus: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  getApiMattermostAuthorization: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['MattermostIntegration'] | null;
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiMattermostAuthorization: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          authorization: {
            server_url: string;
            bot_token: string;
            channel_id: string;
            webhook_token: string;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['MattermostIntegration'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiMattermostAuthorizationsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiMattermostWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Accepted: `{}` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': string;
        };
      };
    };
  };
  postApiSesWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Accepted (empty body) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': string;
        };
      };
    };
  };
  postApiSesNotifications: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Accepted (empty body) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': string;
        };
      };
    };
  };
  getApiEmailSuppressions: {
    parameters: {
      query?: {
        email?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['EmailSuppression'][];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiEmailSuppressionsEmail: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        email: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiForwardingAddresses: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ForwardingAddress'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiForwardingAddresses: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          forwarding_address: {
            inbox_id?: string | null;
            source_email_address?: string | null;
            description?: string | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ForwardingAddress'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiForwardingAddressesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1Me: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Me'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1Users: {
    parameters: {
      query?: {
        email?: string;
        role?: 'user' | 'admin';
        active?: 'true' | 'false' | '1' | '0';
        has_valid_email?: 'true' | 'false' | '1' | '0';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['User'][];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1UsersId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['User'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1Profile: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['UserProfile'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiV1Profile: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          user_profile: {
            full_name?: string | null;
            display_name?: string | null;
            profile_photo_url?: (unknown | (string | null)) | '';
            slack_user_id?: string | null;
            signature?: string | null;
            profile_photo_file_id?: string;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['UserProfile'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1UserSettings: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['UserSettings'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiV1UserSettings: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          user_settings: {
            email_alert_on_new_message?: boolean;
            email_alert_on_new_conversation?: boolean;
            email_alert_on_mention?: boolean;
            email_alert_on_sla?: boolean;
            expo_push_token?: string | null;
            desktop_notifications?: boolean;
            notification_sound?: boolean;
            notify_on_new_conversation?: boolean;
            notify_on_new_message?: boolean;
            notify_on_mention?: boolean;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['UserSettings'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1Customers: {
    parameters: {
      query?: {
        page?: number;
        after?: string;
        page_size?: number;
        limit?: number;
        name?: string;
        email?: string;
        phone?: string;
        host?: string;
        browser?: string;
        os?: string;
        current_url?: string;
        pathname?: string;
        time_zone?: string;
        external_id?: string;
        browser_version?: string;
        browser_language?: string;
        company_id?: string;
        include_anonymous?: 'true' | 'false' | '1' | '0';
        q?: string;
        tag_id?: string;
        tag_ids?: string[];
        last_seen_after?: string;
        last_seen_before?: string;
        format?: 'json' | 'csv';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of customers; with format=csv, text/csv instead */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CustomerPage'];
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiV1Customers: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same body within 24 h answers the first result (header `Idempotent-Replayed: true`) and creates nothing; with another body, 422. 1–255 visible ASCII characters; at least 16 for anonymous callers. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          customer: {
            email?: string | number | null;
            name?: string | number | null;
            phone?: string | number | null;
            external_id?: string | number | null;
            profile_photo_url?: string | number | null;
            browser?: string | number | null;
            browser_version?: string | number | null;
            browser_language?: string | number | null;
            os?: string | number | null;
            current_url?: string | null;
            host?: string | number | null;
            pathname?: string | number | null;
            time_zone?: string | number | null;
            lib?: string | number | null;
            screen_height?: number | null;
            screen_width?: number | null;
            metadata?: {
              [key: string]: unknown;
            };
          } & {
            [key: string]: unknown;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Customer'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1CustomersId: {
    parameters: {
      query?: {
        expand?: ('conversations' | 'notes' | 'tags' | 'company' | 'messages' | 'issues')[];
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CustomerDetail'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiV1CustomersId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          customer: {
            email?: string | number | null;
            name?: string | number | null;
            phone?: string | number | null;
            external_id?: string | number | null;
            profile_photo_url?: string | number | null;
            browser?: string | number | null;
            browser_version?: string | number | null;
            browser_language?: string | number | null;
            os?: string | number | null;
            current_url?: string | null;
            host?: string | number | null;
            pathname?: string | number | null;
            time_zone?: string | number | null;
            lib?: string | number | null;
            screen_height?: number | null;
            screen_width?: number | null;
            metadata?: {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Customer'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiV1CustomersId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1Tags: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Tag'][];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiV1Tags: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          tag: {
            name: string;
            description?: string | null;
            color?: string | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Tag'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1TagsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Tag'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiV1TagsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          tag: {
            name?: string;
            description?: string | null;
            color?: string | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Tag'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiV1TagsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1Notes: {
    parameters: {
      query?: {
        customer_id?: string;
        author_id?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Note'][];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiV1Notes: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          note: {
            body: string;
            customer_id: string;
            /** @enum {string} */
            content_type?: 'text' | 'markdown' | 'html';
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Note'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1NotesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Note'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiV1NotesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          note: {
            body?: string;
            /** @enum {string} */
            content_type?: 'text' | 'markdown' | 'html';
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Note'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiV1NotesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1Conversations: {
    parameters: {
      query?: {
        status?: 'open' | 'closed' | 'snoozed';
        priority?: 'priority' | 'not_priority';
        read?: 'true' | 'false' | '1' | '0';
        assignee_id?: 'me' | '' | string;
        inbox_id?: string;
        customer_id?: string;
        source?: string;
        tag_id?: string;
        q?: string;
        mentioning?: 'me' | string;
        has_seen_mention?: 'true' | 'false' | '1' | '0';
        limit?: number;
        after?: string;
        before?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ConversationPage'];
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiV1Conversations: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same body within 24 h answers the first result (header `Idempotent-Replayed: true`) and creates nothing; with another body, 422. 1–255 visible ASCII characters; at least 16 for anonymous callers. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          conversation: {
            account_id?: unknown;
            customer_id?: string;
            inbox_id?: string | null;
            /** @enum {string} */
            source?: 'chat' | 'slack' | 'email' | 'sms' | 'api' | 'sandbox';
            subject?: string | null;
            /** @constant */
            status?: 'open';
            customer_email?: string;
          } & {
            [key: string]: unknown;
          };
          message?:
            | ({
                /** @default  */
                body?: string;
                sent_at?: string | null;
                client_message_id?: string | null;
                file_ids?: string[];
              } & {
                [key: string]: unknown;
              })
            | null;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Conversation'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1MessagesCount: {
    parameters: {
      query?: {
        conversation_id?: string;
        customer_id?: string;
        user_id?: number;
        source?: string;
        type?: 'reply' | 'note' | 'bot' | 'system';
        private?: 'true' | 'false' | '1' | '0';
        body?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Count'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1Messages: {
    parameters: {
      query?: {
        conversation_id?: string;
        customer_id?: string;
        user_id?: number;
        source?: string;
        type?: 'reply' | 'note' | 'bot' | 'system';
        private?: 'true' | 'false' | '1' | '0';
        body?: string;
        after_seq?: number;
        before_seq?: number;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MessagePage'];
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiV1Messages: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          message: {
            conversation_id: string;
            body: string;
            private?: boolean;
            /** @constant */
            type?: 'note';
            file_ids?: string[];
            mentioned_user_ids?: number[];
            client_message_id?: string | null;
            customer_id?: string | null;
            user_id?: number | null;
            metadata?: {
              [key: string]: unknown;
            };
            subject?: string | null;
            source?: string;
            sent_at?: string | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Message'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1ConversationsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ExpandedConversation'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiV1ConversationsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          conversation: {
            /** @enum {string} */
            status?: 'open' | 'closed';
            /** @enum {string} */
            priority?: 'priority' | 'not_priority';
            assignee_id?: number | null;
            snoozed_until?: string | null;
            inbox_id?: string;
            subject?: string | null;
            read?: boolean;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Conversation'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiV1ConversationsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1MessagesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Message'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1Reporting: {
    parameters: {
      query?: {
        from_date?: string;
        to_date?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Report'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1Companies: {
    parameters: {
      query?: {
        limit?: number;
        after?: string;
        name?: string;
        external_id?: string;
        slack_channel_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Company'][];
            /** @description cursor of the next page (pass as `after`); null on the last page or an unpaged answer */
            next: string | null;
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiV1Companies: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          company: {
            name: string;
            external_id?: (string | number) | null;
            website_url?: (unknown | (string | null)) | '';
            description?: string | null;
            logo_image_url?: (unknown | (string | null)) | '';
            industry?: string | null;
            slack_channel_id?: string | null;
            slack_channel_name?: string | null;
            slack_team_id?: string | null;
            slack_team_name?: string | null;
            metadata?: {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Company'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1CompaniesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Company'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiV1CompaniesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          company: {
            name?: string;
            external_id?: (string | number) | null;
            website_url?: (unknown | (string | null)) | '';
            description?: string | null;
            logo_image_url?: (unknown | (string | null)) | '';
            industry?: string | null;
            slack_channel_id?: string | null;
            slack_channel_name?: string | null;
            slack_team_id?: string | null;
            slack_team_name?: string | null;
            metadata?: {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Company'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiV1CompaniesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1Issues: {
    parameters: {
      query?: {
        limit?: number;
        after?: string;
        state?: 'unstarted' | 'in_progress' | 'in_review' | 'done' | 'closed';
        title?: string;
        github_issue_url?: string;
        q?: string;
        customer_id?: string;
        conversation_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Issue'][];
            /** @description cursor of the next page (pass as `after`); null on the last page or an unpaged answer */
            next: string | null;
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiV1Issues: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          issue: {
            title: string;
            body?: string | null;
            /** @enum {string} */
            state?: 'unstarted' | 'in_progress' | 'in_review' | 'done' | 'closed';
            github_issue_url?: string | null;
            assignee_id?: number | null;
            metadata?: {
              [key: string]: unknown;
            };
            customer_id?: string;
            conversation_id?: string;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['IssueWithLinks'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiV1IssuesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['IssueWithLinks'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiV1IssuesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          issue: {
            title?: string;
            body?: string | null;
            /** @enum {string} */
            state?: 'unstarted' | 'in_progress' | 'in_review' | 'done' | 'closed';
            github_issue_url?: string | null;
            assignee_id?: number | null;
            metadata?: {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['IssueWithLinks'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiV1IssuesId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiV1SlackNotify: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same body within 24 h answers the first result (header `Idempotent-Replayed: true`) and creates nothing; with another body, 422. 1–255 visible ASCII characters; at least 16 for anonymous callers. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          text: string;
          /**
           * @default reply
           * @enum {string}
           */
          type?: 'reply' | 'support';
          channel?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SlackNotifyResult'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiV1TwilioSend: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same body within 24 h answers the first result (header `Idempotent-Replayed: true`) and creates nothing; with another body, 422. 1–255 visible ASCII characters; at least 16 for anonymous callers. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          to: string;
          body: string;
          /** Format: uuid */
          customer_id?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['TwilioSendResult'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiV1GmailSend: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same body within 24 h answers the first result (header `Idempotent-Replayed: true`) and creates nothing; with another body, 422. 1–255 visible ASCII characters; at least 16 for anonymous callers. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** Format: email */
          to?: string;
          /** Format: email */
          recipient?: string;
          /** Format: email */
          from?: string;
          subject: string;
          text?: string;
          message?: string;
          /** Format: uuid */
          inbox_id?: string;
          file_ids?: string[];
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GmailSendResponse'];
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiAuditEvents: {
    parameters: {
      query?: {
        limit?: number;
        after?: string;
        actor_id?: string;
        action?: string;
        target_type?: string;
        target_id?: string;
        from_date?: string;
        to_date?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditEventPage'];
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiBrowserSessions: {
    parameters: {
      query?: {
        customer_id?: string;
        ids?: string[];
        active?: 'true' | 'false' | '1' | '0';
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['BrowserSession'][];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiBrowserSessions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          browser_session: {
            account_id: string;
            customer_id?: string | null;
            conversation_id?: string | null;
            metadata?: {
              [key: string]: unknown;
            };
            /** Format: date-time */
            started_at?: string;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['BrowserSession'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The account requires the customer token and none was sent, or an agent token is invalid */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiBrowserSessionsIdFinish: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['BrowserSession'];
          };
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiBrowserSessionsIdRestart: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['BrowserSession'];
          };
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postApiBrowserSessionsIdIdentify: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          customer_id: string;
          customer_token?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['BrowserSession'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiBrowserSessionsIdExists: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: boolean;
          };
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiAccountsMeSessionReplay: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SessionReplaySettings'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiAccountsMeSessionReplay: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          session_replay: {
            enabled?: boolean;
            sample_rate?: number;
            excluded_paths?: string[];
            notice_text?: string | null;
            max_session_bytes?: number;
            retention_days?: number;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SessionReplaySettings'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin ("Unauthorized access") */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiBrowserSessionsCount: {
    parameters: {
      query?: {
        customer_id?: string;
        ids?: string[];
        active?: 'true' | 'false' | '1' | '0';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Count'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiBrowserSessionsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['BrowserSessionWithEvents'];
          };
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putApiBrowserSessionsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          browser_session: {
            metadata?: {
              [key: string]: unknown;
            };
            customer_id?: string | null;
            conversation_id?: string | null;
            finished_at?: string | null;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['BrowserSession'];
          };
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteApiBrowserSessionsId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiBrowserSessionsIdEvents: {
    parameters: {
      query?: {
        after_seq?: number;
        limit?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReplayEventsPage'];
        };
      };
      /** @description Malformed JSON or missing envelope */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not authenticated, or the user is disabled */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (unknown, malformed or another account’s id) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid fields, with `errors` per field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiOpenapiJson: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description This OpenAPI 3.1 document */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': string;
        };
      };
    };
  };
}
