/**
 * Tags for the console: typed calls to the tag routes over the one REST
 * client's `request` (so sessions renew as for every call), and the
 * framework-free bits the tag picker, chips, sidebar filter and Settings → Tags
 * share (colour palette, readable text on a colour, matching and sorting).
 * Route shapes: docs/api.md, "Tags" and "Conversations".
 */
import { z } from 'zod';
import type { ApiClient } from './api.js';
import { okSchema, tagSchema, unreadCountsSchema, type Tag } from './wire.js';

export type { Tag };

type Requester = Pick<ApiClient, 'parsedData' | 'request'>;
const enc = encodeURIComponent;

export function tagsApi(client: Requester) {
  const { parsedData, request } = client;
  return {
    list: () => parsedData(z.array(tagSchema), 'GET', '/api/tags'),
    create: (name: string, color: string | null) => parsedData(tagSchema, 'POST', '/api/tags', { tag: { name, color } }),
    update: (id: string, changes: { name?: string; color?: string | null }) =>
      parsedData(tagSchema, 'PUT', `/api/tags/${enc(id)}`, { tag: changes }),
    remove: (id: string) => request<unknown>('DELETE', `/api/tags/${enc(id)}`),
    tagConversation: (conversationId: string, tagId: string) =>
      parsedData(okSchema, 'POST', `/api/conversations/${enc(conversationId)}/tags`, { tag_id: tagId }),
    untagConversation: (conversationId: string, tagId: string) =>
      parsedData(okSchema, 'DELETE', `/api/conversations/${enc(conversationId)}/tags/${enc(tagId)}`),
    /** The sidebar's unread counters restricted to conversations with the tag. */
    unread: (tagId: string) => parsedData(unreadCountsSchema, 'GET', '/api/conversations/unread', undefined, { tag_id: tagId }),
  };
}
export type TagsApi = ReturnType<typeof tagsApi>;

/** Colours offered when creating a tag (readable with white or dark text, see `textOn`). */
export const TAG_COLORS = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#64748b'] as const;

/** Names of the palette's colours, for screen readers. */
export const TAG_COLOR_NAMES: Readonly<Record<string, string>> = {
  '#2563eb': 'blue',
  '#16a34a': 'green',
  '#dc2626': 'red',
  '#d97706': 'amber',
  '#7c3aed': 'violet',
  '#db2777': 'pink',
  '#0891b2': 'cyan',
  '#64748b': 'slate',
};

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** A colour the console may put in a style: `#rgb` or `#rrggbb`, else null (tags made through the API may carry anything). */
export function safeColor(color: string | null | undefined): string | null {
  return color && HEX.test(color.trim()) ? color.trim().toLowerCase() : null;
}

/** Black or white, whichever reads better on the colour (WCAG relative luminance). */
export function textOn(color: string): '#000000' | '#ffffff' {
  let hex = color.slice(1);
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  const [r, g, b] = [0, 2, 4].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

/** Tags whose name contains the query (case-insensitive), names starting with it first, then by name. */
export function matchTags<T extends Pick<Tag, 'name'>>(tags: readonly T[], query: string): T[] {
  const q = query.trim().toLowerCase();
  const hits = q ? tags.filter((t) => t.name.toLowerCase().includes(q)) : [...tags];
  return hits.sort((a, b) => {
    const pa = q && a.name.toLowerCase().startsWith(q) ? 0 : 1;
    const pb = q && b.name.toLowerCase().startsWith(q) ? 0 : 1;
    return pa - pb || a.name.localeCompare(b.name);
  });
}

/** Tags in the server's order (name, then id). */
export function sortTags<T extends Pick<Tag, 'name' | 'id'>>(tags: readonly T[]): T[] {
  return [...tags].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
