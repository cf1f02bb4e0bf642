// Turns an MCP tool result into the one string the model reads. Images and audio cannot be sent in a
// function output, so they are named instead; very long output is cut with a note saying so, because
// a huge output costs tokens and latency on every later turn of a voice conversation.
import { DEFAULT_MAX_OUTPUT_CHARS } from '../../../common/settings/tool-settings';

interface ContentBlock {
  type: string;
  text?: string;
  data?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  resource?: { uri?: string; text?: string; mimeType?: string };
}

export interface McpResultLike {
  content?: ContentBlock[];
  structuredContent?: unknown;
  isError?: boolean;
}

export function mcpResultText(result: McpResultLike, maxChars = DEFAULT_MAX_OUTPUT_CHARS): string {
  const parts = (result.content ?? []).map(blockText);
  // Structured content usually repeats the text; it is the answer only when there is no text.
  if (!parts.some((p) => p.trim()) && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  return capText(parts.join('\n') || '(the tool returned no content)', maxChars);
}

export function capText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const note = `\n[Output truncated: showing ${maxChars} of ${text.length} characters.]`;
  return text.slice(0, Math.max(0, maxChars - note.length)) + note;
}

function blockText(b: ContentBlock): string {
  switch (b.type) {
    case 'text':
      return b.text ?? '';
    case 'image':
    case 'audio':
      return `[${b.type} ${b.mimeType ?? ''} of about ${Math.round(((b.data?.length ?? 0) * 3) / 4 / 1024)} KB, not shown]`;
    case 'resource':
      return b.resource?.text ?? `[resource ${b.resource?.uri ?? ''} ${b.resource?.mimeType ?? ''}]`.replace(/\s+]/, ']');
    case 'resource_link':
      return `[link: ${b.name ?? ''} ${b.uri ?? ''}]`;
    default:
      return `[${b.type} content not shown]`;
  }
}
