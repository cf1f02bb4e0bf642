export interface Reply {
  /** Assistant transcript, streamed as word-ish deltas. */
  text?: string;
  /** Reply audio length; defaults to `defaultAudioMs(text)`. */
  audioMs?: number;
  /** The reply's audio itself (PCM16 24 kHz), e.g. real speech; sets its length. */
  audio?: Int16Array;
  /** function_call output items, after the optional spoken preamble `text`. */
  toolCalls?: { name: string; arguments: string; callId?: string }[];
  /** Ends the response with status "failed" and this status_details.error. */
  fail?: { code: string; message: string };
}

export interface ReplyContext {
  turnIndex: number;
  /** Transcript of the last user audio item, or the typed text of the last input_text item. */
  userText: string | null;
  /** input_image parts added since the last response. */
  images?: { width: number; height: number; detail: string; tokens: number }[];
  /** function_call_output items added since the last response. */
  toolOutputs: { callId: string; name: string | null; output: string }[];
  /** The current effective GA session object. */
  session: any;
  /** The conversation so far, in GA item shapes. */
  items: unknown[];
}

export type Brain = (ctx: ReplyContext) => Reply | Promise<Reply>;

/** ~60 ms per character, at least 400 ms: about the pace of the real voices. */
export function defaultAudioMs(text: string): number {
  return Math.max(400, text.length * 60);
}

/** Splits text the way transcript deltas arrive ("Hi", " there", ",", …); the pieces always join back to `text`. */
export function wordDeltas(text: string): string[] {
  return text.match(/\s*(?:[^\s,.!?;:]+|[,.!?;:])|\s+$/g) ?? [];
}

export function defaultUserTranscript(ctx: { audioMs: number }): string {
  return `(spoken for ${(ctx.audioMs / 1000).toFixed(1)} s)`;
}

export const defaultBrain: Brain = (ctx) => {
  // The server's idle nudge: a system note, then the silent buffer, then this reply.
  if ((ctx.items.slice(-2) as Array<{ role?: string }>).some((i) => i.role === 'system')) return { text: 'Are you still there?' };
  // A shared screen or picture: the reply says it was seen (and its size, for the tests to read).
  const seen = ctx.images?.length ? `I can see the image you shared, ${ctx.images.map((i) => `${i.width} by ${i.height}`).join(' and ')}.` : null;
  if (ctx.toolOutputs.length > 0) {
    return { text: [seen, ...ctx.toolOutputs.filter((t) => !seen || !/"attached"/.test(t.output)).map((t) => speakOutput(t.output))].filter(Boolean).join(' ') };
  }
  if (seen) return { text: ctx.userText ? `${seen} You said: ${ctx.userText}` : seen };
  const tools: { name?: string }[] = Array.isArray(ctx.session?.tools) ? ctx.session.tools : [];
  const timeTool = tools.find((t) => t.name?.toLowerCase().includes('time'));
  if (timeTool?.name && ctx.userText && /\b(time|date|clock)\b/i.test(ctx.userText)) {
    // 2.x models say a preamble before a tool call, in the same response.
    const preamble = /^gpt-realtime-[2-9]/.test(String(ctx.session?.model ?? '')) ? { text: 'Let me check the time.' } : {};
    return { ...preamble, toolCalls: [{ name: timeTool.name, arguments: '{}' }] };
  }
  return { text: ctx.userText ? `I heard ${ctx.userText}. How can I help?` : 'Hello! How can I help?' };
};

/** A tool result as a model would say it: the readable part of a JSON answer when there is one. */
function speakOutput(output: string): string {
  try {
    const v = JSON.parse(output) as Record<string, unknown>;
    if (typeof v.error === 'string') return `Sorry, that did not work: ${v.error}`;
    if (typeof v.local === 'string') return `It is ${v.local}.`;
  } catch {
    // not JSON: quoted as it is
  }
  return `The tool said: ${output}`;
}
