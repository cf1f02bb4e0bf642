// Where an interrupted reply was cut, in its text: in proportion to the audio the user actually heard
// (the same rule main uses to carry the conversation over), at a word boundary.
import type { ConversationItem } from '../../preload/api';

export function splitHeard(item: ConversationItem): { heard: string; unheard: string } {
  if (item.status !== 'interrupted' || item.truncatedAtMs === undefined || !item.audioMs) return { heard: item.text, unheard: '' };
  const fraction = Math.min(1, item.truncatedAtMs / item.audioMs);
  const cut = Math.round(item.text.length * fraction);
  const space = item.text.lastIndexOf(' ', cut);
  const at = space > 0 ? space : cut;
  return { heard: item.text.slice(0, at), unheard: item.text.slice(at) };
}
