/**
 * Conversation, message and presence routes on a full stack, on one shared stack (tests/helpers/suite.ts,
 * `sharedModuleTest`): each module below is what used to be a test file of its own, with its own accounts.
 */
import './conversations/api-v1.js';
import './conversations/browser-sessions.js';
import './conversations/conversation-delete.js';
import './conversations/conversation-extras.js';
import './conversations/conversation-lists.js';
import './conversations/conversation-tags.js';
import './conversations/presence-state.js';
import './conversations/realtime-resume.js';
import './conversations/update-error-types.js';
