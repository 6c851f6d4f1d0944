/**
 * The inbox picker of the integration forms (Slack, Gmail, SMS, email forwarding):
 * the account's primary inbox (else the first) until the admin picks one. Read
 * reactively, so a form rendered before the inbox list arrived still starts on
 * the primary inbox instead of an empty choice.
 */
import { createSignal, type Accessor, type Setter } from 'solid-js';
import type { Inbox } from '../../types';

export function createInboxChoice(inboxes: Accessor<Inbox[]>): [Accessor<string>, Setter<string>] {
  const [picked, setPicked] = createSignal('');
  const inbox = (): string => picked() || ((inboxes().find((i) => i.is_primary) ?? inboxes()[0])?.id ?? '');
  return [inbox, setPicked];
}
