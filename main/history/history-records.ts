// The records of a conversation file, and how a file's records become a conversation: an item may
// be recorded more than once (a reply completed, then cut); the last version wins, in first-seen order.
import type { ConversationItem, HistorySummary, UsageTotals } from '../../preload/api';
import { addUsage, readUsage, zeroUsage } from '../usage/usage-math';

export const HISTORY_FORMAT = 1;

export type HistoryRecord =
  | { t: 'start'; v: number; id: string; startedAt: number; model: string }
  | { t: 'item'; at: number; item: ConversationItem }
  | { t: 'usage'; at: number; responseId: string | null; usage: UsageTotals; costUsd: number | null }
  | { t: 'audio'; at: number; itemId: string; file: string };

export interface Rebuilt {
  summary: HistorySummary;
  items: ConversationItem[];
  audio: Map<string, string>;
}

const ROLES = new Set(['user', 'assistant', 'tool']);
const TYPES = new Set(['message', 'function_call', 'function_call_output']);

function validItem(v: unknown): v is ConversationItem {
  const i = v as ConversationItem;
  return !!i && typeof i.id === 'string' && ROLES.has(i.role) && TYPES.has(i.type) && typeof i.text === 'string' && typeof i.createdAt === 'number';
}

export function rebuild(id: string, records: unknown[], fallbackTime: number): Rebuilt {
  const byId = new Map<string, ConversationItem>();
  const audio = new Map<string, string>();
  let usage = zeroUsage();
  let cost: number | null = null;
  let startedAt = fallbackTime;
  let updatedAt = 0;
  for (const raw of records) {
    const r = raw as HistoryRecord;
    if (r.t === 'start' && typeof r.startedAt === 'number') startedAt = r.startedAt;
    else if (r.t === 'item' && validItem(r.item)) byId.set(r.item.id, { ...byId.get(r.item.id), ...r.item });
    else if (r.t === 'usage') {
      usage = addUsage(usage, readUsage(r.usage));
      if (typeof r.costUsd === 'number') cost = (cost ?? 0) + r.costUsd;
    } else if (r.t === 'audio' && typeof r.itemId === 'string' && typeof r.file === 'string') audio.set(r.itemId, r.file);
    if (typeof (r as { at?: unknown }).at === 'number') updatedAt = Math.max(updatedAt, (r as { at: number }).at);
  }
  // Map order is first-seen; a stable sort by creation time puts a late transcript before its reply.
  const items = [...byId.values()].filter((i) => i.status !== 'deleted').sort((a, b) => a.createdAt - b.createdAt);
  const messages = items.filter((i) => i.type === 'message');
  const firstUser = messages.find((i) => i.role === 'user' && i.text.trim())?.text.trim();
  const title = firstUser ? (firstUser.length > 70 ? `${firstUser.slice(0, 69)}…` : firstUser) : 'Conversation';
  return {
    summary: { id, title, startedAt, updatedAt: Math.max(updatedAt, startedAt), messages: messages.length, usage, costUsd: cost },
    items,
    audio,
  };
}
