/**
 * @module gateway/socket/frame
 * Reading inbound Phoenix Channels v2 frames `[join_ref, ref, topic, event, payload]`: the whole
 * frame (`decodeFrame`), or only its head from the bytes (`peekHead`) for events a spec takes raw,
 * whose payload is parsed elsewhere (gateway/replay-ingest, with `decodeFrame` too). Imports
 * nothing native, so a worker thread can use it.
 */
import type { JsonObject } from './types.js';

export type Ref = string | null;

/** A decoded inbound frame. */
export interface FrameHead {
  joinRef: Ref;
  ref: Ref;
  topic: string;
  event: string;
}

export interface Frame extends FrameHead {
  /** Empty for a raw frame. */
  payload: JsonObject;
  /** The whole frame's text, for a spec's `rawEvents` (`handleRaw`); its payload is not parsed. */
  raw?: string;
}

/** Bytes of a frame that `peekHead` reads at most: refs, topic and event are short. */
const HEAD_MAX_BYTES = 512;

export function isRef(value: unknown): value is Ref {
  return value === null || typeof value === 'string';
}

const isJsonSpace = (b: number | undefined): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * The head of a frame `[join_ref, ref, "topic", "event", {…}]` read from its bytes, the payload
 * neither parsed nor checked beyond its opening brace: undefined unless the four come first and are
 * null or plain strings (printable ASCII, no escapes; topic and event non-empty). Cheap enough for
 * every frame; whoever takes the frame raw parses it whole.
 */
export function peekHead(bytes: Uint8Array): FrameHead | undefined {
  const end = Math.min(bytes.length, HEAD_MAX_BYTES);
  let i = 0;
  const skipSpace = (): void => {
    while (i < end && isJsonSpace(bytes[i])) i++;
  };
  skipSpace();
  if (bytes[i] !== 0x5b /* [ */) return undefined;
  i++;
  const parts: Array<string | null> = [];
  for (let k = 0; k < 4; k++) {
    skipSpace();
    if (bytes[i] === 0x22 /* " */) {
      const start = ++i;
      for (; i < end && bytes[i] !== 0x22; i++) {
        const b = bytes[i]!;
        if (b < 0x20 || b > 0x7e || b === 0x5c /* \ */) return undefined;
      }
      if (i >= end) return undefined;
      parts.push(String.fromCharCode(...bytes.subarray(start, i)));
      i++;
    } else if (bytes[i] === 0x6e && bytes[i + 1] === 0x75 && bytes[i + 2] === 0x6c && bytes[i + 3] === 0x6c /* null */) {
      parts.push(null);
      i += 4;
    } else return undefined;
    skipSpace();
    if (bytes[i] !== 0x2c /* , */) return undefined;
    i++;
  }
  skipSpace();
  if (bytes[i] !== 0x7b /* { */) return undefined;
  const [joinRef, ref, topic, event] = parts as [Ref, Ref, string | null, string | null];
  if (topic === null || topic === '' || event === null || event === '') return undefined;
  return { joinRef, ref, topic, event };
}

/** Returns the frame, or a short description of what is wrong with it. */
export function decodeFrame(text: string): Frame | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'invalid JSON';
  }
  if (!Array.isArray(value) || value.length !== 5) return 'not a 5-element array';
  const [joinRef, ref, topic, event, payload] = value as unknown[];
  if (!isRef(joinRef) || !isRef(ref)) return 'join_ref/ref not a string or null';
  if (typeof topic !== 'string' || topic === '') return 'topic not a non-empty string';
  if (typeof event !== 'string' || event === '') return 'event not a non-empty string';
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'payload not an object';
  return { joinRef, ref, topic, event, payload: payload as JsonObject };
}
