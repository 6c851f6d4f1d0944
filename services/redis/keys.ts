/**
 * @module services/redis/keys
 * Every Redis key and channel name, in one place (CONVENTIONS 15). Each carries
 * a version segment so a format change can roll out next to the old one.
 */

/** Pub/sub channel carrying the events of one client topic (`conversation:<id>`, `notification:<account>`…). Payload: JSON `{ e: event, p: payload }`. */
export function topicChannel(topic: string): string {
  return `netia:v1:topic:${topic}`;
}

/** Prefix of every topic channel, for pattern subscriptions in tools and benchmarks. */
export const TOPIC_CHANNEL_PREFIX = 'netia:v1:topic:';
