// A conversation as Markdown, for the user to keep or share: who said what and when, tool calls with
// their arguments and results, interruptions marked where they happened, and the usage.
import type { ConversationItem, HistorySummary } from '../../preload/api';

function time(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
}

function fence(text: string): string {
  const ticks = text.includes('```') ? '````' : '```';
  return `${ticks}\n${text}\n${ticks}`;
}

function quote(text: string): string {
  return text.split('\n').map((l) => `> ${l}`).join('\n');
}

export function toMarkdown(summary: HistorySummary, items: ConversationItem[]): string {
  const out: string[] = [`# ${summary.title}`, '', `Started ${new Date(summary.startedAt).toLocaleString()}.`, ''];
  const outputs = new Map(items.filter((i) => i.type === 'function_call_output').map((i) => [i.callId, i]));
  for (const item of items) {
    // Forgotten items stay forgotten; an idle nudge's silent buffer is no one's turn.
    if (item.forgotten || item.idle) continue;
    if (item.type === 'message') {
      const who = item.role === 'user' ? 'You' : 'Hark';
      const via = `${item.modality === 'audio' ? ' (spoken)' : ''}${item.phase === 'commentary' ? ' (preamble, while checking)' : ''}${item.resumed ? ' (resumed)' : ''}`;
      out.push(`**${who}**${via} · ${time(item.createdAt)}`, '');
      if (item.text.trim() || !item.image) out.push(item.text.trim() ? quote(item.text.trim()) : '> _(no transcript)_');
      if (item.image) out.push(...imageLines(item.image));
      if (item.status === 'interrupted') out.push('', `_Interrupted${item.truncatedAtMs !== undefined ? ` at ${(item.truncatedAtMs / 1000).toFixed(1)} s` : ''}._`);
      if (item.status === 'failed') out.push('', `_Failed${item.error ? `: ${item.error}` : ''}._`);
      out.push('');
    } else if (item.type === 'function_call') {
      const result = outputs.get(item.callId);
      out.push(`**Tool call** \`${item.name ?? 'tool'}\` · ${time(item.createdAt)}`, '', 'Arguments:', '', fence(item.arguments || '{}'), '');
      if (result) out.push(`Result${result.status === 'failed' ? ' (failed)' : ''}:`, '', fence(result.output ?? ''), '');
    } else if (!items.some((c) => c.type === 'function_call' && c.callId === item.callId)) {
      out.push(`**Tool result** \`${item.name ?? ''}\``, '', fence(item.output ?? ''), '');
    }
  }
  const u = summary.usage;
  out.push('---', '', `Usage: ${u.responses} responses, ${u.inputTokens} input tokens (${u.inputTextTokens} text, ${u.inputAudioTokens} audio, ${u.inputCachedTokens} cached), ${u.outputTokens} output tokens (${u.outputTextTokens} text, ${u.outputAudioTokens} audio)${summary.costUsd !== null ? `; estimated cost $${summary.costUsd.toFixed(4)}` : ''}.`, '');
  return out.join('\n');
}

/** A shared screen: the stored thumbnail inline, or what was sent when history kept no picture. */
function imageLines(img: NonNullable<ConversationItem['image']>): string[] {
  const what = `${img.source === 'screen' ? 'the screen' : `the window “${img.source}”`}: ${img.width}×${img.height} JPEG, ${Math.round(img.bytes / 1024)} KB, ~${img.tokens.toLocaleString('en-US')} image tokens`;
  if (img.thumbnail) return ['', `![Shared ${what}](${img.thumbnail})`];
  return ['', `_Shared ${what} (the picture itself was not kept: Settings › Screen › keep thumbnails in history)._`];
}

export function exportFileName(summary: HistorySummary): string {
  const d = new Date(summary.startedAt);
  const stamp = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const slug = summary.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'conversation';
  return `hark-${stamp}-${slug}.md`;
}
