// Plain text for the clipboard: one message as it reads, or the whole conversation as
// "You: …" / "Hark: …" lines (tool calls as one line each), so it pastes cleanly anywhere.
import type { ConversationItem } from '../../preload/api';
import { heardText } from '../../common/heard-text';

/** What a message says; a cut reply copies only what was heard. */
export function messageText(item: ConversationItem): string {
  return heardText(item);
}

export function conversationText(items: readonly ConversationItem[]): string {
  const lines: string[] = [];
  for (const item of items) {
    if (item.type === 'message') {
      const text = messageText(item).trim();
      if (!text) continue;
      lines.push(`${item.role === 'user' ? 'You' : 'Hark'}: ${text}${item.status === 'interrupted' ? ' [interrupted]' : ''}`);
    } else if (item.type === 'function_call') {
      lines.push(`[tool ${item.name ?? ''}(${item.arguments ?? ''})]`);
    }
  }
  return lines.join('\n\n');
}
