// What a resumed conversation starts with: the text of a past conversation's messages, newest first,
// as many as fit a token budget the user sets (and sees), put back in order and marked `resumed`,
// so the window can show where the resumed part ends. Tool items, forgotten items and idle-nudge
// buffers are left out: only words carry into the new session.
import type { ConversationItem } from '../../preload/api';
import { heardText } from '../../common/heard-text';

export interface ResumeSeed {
  items: ConversationItem[];
  /** Estimated tokens of what was taken, and how many messages the past conversation had. */
  tokens: number;
  total: number;
}

/** About 4 characters a token, plus a few for the message wrapper: an estimate, said as one. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + 4;
}

export function resumeSeed(past: ConversationItem[], budgetTokens: number): ResumeSeed {
  const messages = past.filter((i) => i.type === 'message' && !i.forgotten && !i.idle && (i.role === 'user' || i.role === 'assistant') && i.status !== 'failed' && heardText(i).trim());
  const picked: ConversationItem[] = [];
  let tokens = 0;
  for (let k = messages.length - 1; k >= 0; k--) {
    const m = messages[k]!;
    const text = heardText(m).trim();
    const cost = estimateTokens(text);
    if (tokens + cost > budgetTokens) break;
    tokens += cost;
    picked.unshift({
      id: m.id,
      role: m.role,
      type: 'message',
      text,
      status: 'completed',
      modality: m.modality,
      createdAt: m.createdAt,
      ...(m.phase ? { phase: m.phase } : {}),
      resumed: true,
    });
  }
  return { items: picked, tokens, total: messages.length };
}
