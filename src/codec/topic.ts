// Topic names and topic filters (MQTT 5 section 4.7, 4.8.2): validation for both directions and the
// matching a client uses to route an incoming message to its subscriptions.
//
// The *Problem functions return null or a constant message, so the decoder can turn a problem into an
// MqttError and the encoder into an MqttArgumentError without allocating on the valid path.

import { MqttArgumentError } from "./errors";
import { charCodeAt, lengthOf } from "./utf8";

const SLASH = 0x2f;
const PLUS = 0x2b;
const HASH = 0x23;
const DOLLAR = 0x24;

/** Why `topic` cannot be a topic name, or null. Emptiness is checked by the caller (topic aliases). */
export function topicNameProblem(topic: string): string | null {
  // lengthOf / charCodeAt.call rather than topic.length / topic.charCodeAt: those allocate on XS.
  for (let i = 0, len = lengthOf(topic); i < len; i++) {
    const c = charCodeAt.call(topic, i);
    if (c === PLUS || c === HASH) return "must not contain wildcards (+ or #)";
  }
  return null;
}

/** Why `filter` cannot be a topic filter, or null. Handles `$share/{name}/{filter}`. */
export function topicFilterProblem(filter: string): string | null {
  if (filter.length === 0) return "must not be empty";
  if (filter.startsWith("$share/")) return sharedFilterProblem(filter);
  return plainFilterProblem(filter, 0);
}

function sharedFilterProblem(filter: string): string | null {
  const nameStart = 7; // after "$share/"
  const slash = filter.indexOf("/", nameStart);
  if (slash < 0) return "shared subscription needs $share/{name}/{filter}";
  if (slash === nameStart) return "shared subscription name must not be empty";
  for (let i = nameStart; i < slash; i++) {
    const c = filter.charCodeAt(i);
    if (c === PLUS || c === HASH) return "shared subscription name must not contain wildcards";
  }
  if (slash + 1 >= filter.length) return "shared subscription filter must not be empty";
  return plainFilterProblem(filter, slash + 1);
}

function plainFilterProblem(filter: string, from: number): string | null {
  const len = filter.length;
  for (let i = from; i < len; i++) {
    const c = filter.charCodeAt(i);
    if (c !== PLUS && c !== HASH) continue;
    const aloneBefore = i === from || filter.charCodeAt(i - 1) === SLASH;
    if (c === HASH) {
      if (!aloneBefore || i !== len - 1) return "# must be the last character and alone in its level";
    } else if (!aloneBefore || (i + 1 < len && filter.charCodeAt(i + 1) !== SLASH)) {
      return "+ must be alone in its level";
    }
  }
  return null;
}

/** Throws MqttArgumentError(argument) unless `topic` is a non-empty topic name without wildcards. */
export function validateTopicName(topic: string, argument = "topic"): void {
  if (typeof topic !== "string") throw new MqttArgumentError(argument, "must be a string");
  if (topic.length === 0) throw new MqttArgumentError(argument, "must not be empty");
  const problem = topicNameProblem(topic);
  if (problem !== null) throw new MqttArgumentError(argument, problem);
}

/** Throws MqttArgumentError(argument) unless `filter` is a valid topic filter. */
export function validateTopicFilter(filter: string, argument = "filter"): void {
  if (typeof filter !== "string") throw new MqttArgumentError(argument, "must be a string");
  const problem = topicFilterProblem(filter);
  if (problem !== null) throw new MqttArgumentError(argument, problem);
}

/**
 * True when `topic` matches `filter` (4.7). A shared filter matches by its {filter} part. Wildcards at the
 * first level do not match topics starting with `$` (4.7.2). Allocates nothing, on XS too (strings are read
 * through lengthOf and charCodeAt.call, never through a property of the string).
 */
export function topicMatches(filter: string, topic: string): boolean {
  const fl = lengthOf(filter);
  const tl = lengthOf(topic);
  let f = filterStart(filter, fl);
  if (f < 0 || f >= fl) return false;
  const first = charCodeAt.call(filter, f);
  if (tl > 0 && charCodeAt.call(topic, 0) === DOLLAR && (first === PLUS || first === HASH)) return false;
  let t = 0;
  while (f < fl) {
    const c = charCodeAt.call(filter, f);
    if (c === HASH) return true; // matches the parent level and everything below
    if (c === PLUS) {
      while (t < tl && charCodeAt.call(topic, t) !== SLASH) t++;
      f++;
    } else if (t >= tl) {
      return isParentOfHash(filter, f, fl);
    } else {
      if (charCodeAt.call(topic, t) !== c) return false;
      t++;
      f++;
    }
  }
  return t === tl;
}

const SHARE_PREFIX = "$share/";

/** Where the matching part of a filter starts: 0, or after `$share/{name}/`; -1 when that is malformed. */
function filterStart(filter: string, fl: number): number {
  if (fl < 7) return 0;
  for (let i = 0; i < 7; i++) {
    if (charCodeAt.call(filter, i) !== charCodeAt.call(SHARE_PREFIX, i)) return 0;
  }
  for (let i = 7; i < fl; i++) if (charCodeAt.call(filter, i) === SLASH) return i + 1;
  return -1;
}

/** At the end of the topic, the rest of the filter may only be "/#". */
function isParentOfHash(filter: string, f: number, fl: number): boolean {
  return f + 2 === fl && charCodeAt.call(filter, f) === SLASH && charCodeAt.call(filter, f + 1) === HASH;
}
