// Which part of a conversation the transcript renders: the newest WINDOW entries, or from an item the
// reader revealed back to, and how many entries lie hidden above. Pure functions over the items, a
// file of its own so the counting is tested without a page. The one thing to keep: they read only
// the items they need, walking back from the end, because Transcript.svelte calls them inside
// $derived, where every item read is a dependency; a pass over all items here would make each
// streamed delta cost the whole conversation again (the O(n) per frame the renderer soak found).
import type { ConversationItem } from '../../preload/api';

/**
 * Entries rendered at most while the reader follows the conversation. About 39 DOM nodes and 115
 * closures an entry (the soak's figures): 150 is ~6,000 nodes, a bounded page whatever the length,
 * and 10 to 20 screens of a 480 × 760 window, more than anyone scrolls back through by wheel
 * before reaching for history or search; older entries are one click away.
 */
export const WINDOW = 150;
/** Entries one "Show earlier messages" click adds above. */
export const PAGE = 100;

/**
 * Whether an item is an entry of its own. An output counts with its call (one card); an output
 * whose call is missing gets a card of its own, but that is rare and only the hidden count sees it.
 */
function isEntry(item: ConversationItem): boolean {
  return !item.forgotten && item.type !== 'function_call_output';
}

/** The index from which `count` entries end at `end` (0 when there are fewer). */
export function startFor(items: readonly ConversationItem[], count: number, end = items.length): number {
  let i = end;
  for (let n = 0; i > 0 && n < count; ) if (isEntry(items[--i]!)) n++;
  return i;
}

/**
 * Where the reader revealed back to: the item's id and, to find it without a search, its index (a
 * cache, corrected in place when an item deleted above moves it; keep the object out of $state).
 */
export interface Anchor {
  id: string;
  index: number;
}

/** The first rendered index: the anchor's item if it is still there, else the newest window. */
export function windowStart(items: readonly ConversationItem[], anchor: Anchor | null): number {
  if (anchor) {
    if (items[anchor.index]?.id === anchor.id) return anchor.index;
    // An item deleted above moved it: one search, then the cache holds the new index.
    const at = items.findIndex((i) => i.id === anchor.id);
    if (at >= 0) return (anchor.index = at);
  }
  return startFor(items, WINDOW);
}

/**
 * What lies above `start`: the entries hidden there (the count the button shows) and the call ids
 * among them, so an output rendered below whose call is hidden is not taken for one without a call.
 */
export function hiddenAbove(items: readonly ConversationItem[], start: number): { count: number; calls: Set<string> } {
  const calls = new Set<string>();
  let count = 0;
  for (let i = 0; i < start; i++) {
    const item = items[i]!;
    if (item.type === 'function_call' && item.callId) calls.add(item.callId);
    if (isEntry(item) || (item.type === 'function_call_output' && !item.forgotten && !calls.has(item.callId ?? ''))) count++;
  }
  return { count, calls };
}
