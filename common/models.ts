// The model catalogue: which Realtime and transcription models exist today, what each is for in one
// line, which accept reasoning effort, how large their context is, and which have an announced
// shutdown date (from the deprecation notes in the `openai` package's realtime types, 7.57). One
// place, so the settings page, the session config, the migration and the usage panel agree.

export interface RealtimeModelInfo {
  name: string;
  /** One line for the model field: price class and whether it reasons. */
  hint: string;
  reasoning: boolean;
  /** Context window and most output tokens, as published. */
  contextTokens: number;
  maxOutputTokens: number;
  /** Server-VAD silence and voice the server reports for a new session of this model. */
  defaults: { silenceDurationMs: number; voice: string };
}

export interface Deprecation {
  /** ISO date of the announced shutdown. */
  shutdown: string;
  replacement: string;
}

const V2 = { silenceDurationMs: 500, voice: 'marin' };
const V1 = { silenceDurationMs: 200, voice: 'alloy' };

/** Current Realtime models, best first; the first is Hark's default. */
export const REALTIME_MODELS: readonly RealtimeModelInfo[] = [
  { name: 'gpt-realtime-2.1', hint: 'Reasoning, standard price ($32/$64 per 1M audio tokens). Recommended.', reasoning: true, contextTokens: 128_000, maxOutputTokens: 32_000, defaults: V2 },
  { name: 'gpt-realtime-2.1-mini', hint: 'Reasoning, low price (about a third of 2.1). Fast.', reasoning: true, contextTokens: 128_000, maxOutputTokens: 32_000, defaults: V2 },
  { name: 'gpt-realtime-2', hint: 'Reasoning, standard price; the previous 2.x release.', reasoning: true, contextTokens: 128_000, maxOutputTokens: 32_000, defaults: V2 },
  { name: 'gpt-realtime-1.5', hint: 'No reasoning, standard price, 32k context.', reasoning: false, contextTokens: 32_000, maxOutputTokens: 4_096, defaults: V1 },
];

export const DEFAULT_MODEL = REALTIME_MODELS[0]!.name;
/** The default before 2026; a settings file that still has it was never changed by its user. */
export const OLD_DEFAULT_MODEL = 'gpt-realtime';

const REALTIME_SHUTDOWN = '2027-01-20';
const DEPRECATED_REALTIME: Record<string, string> = {
  'gpt-realtime': 'gpt-realtime-2.1',
  'gpt-realtime-2025-08-28': 'gpt-realtime-2.1',
  'gpt-realtime-mini': 'gpt-realtime-2.1-mini',
  'gpt-realtime-mini-2025-12-15': 'gpt-realtime-2.1-mini',
  'gpt-audio-mini': 'gpt-realtime-2.1-mini',
  'gpt-audio-mini-2025-12-15': 'gpt-realtime-2.1-mini',
};

export const TRANSCRIPTION_MODELS: ReadonlyArray<{ name: string; hint: string }> = [
  { name: 'gpt-realtime-whisper', hint: 'Streams words while you speak; $0.017 per minute. Recommended.' },
  { name: 'gpt-live-transcribe', hint: 'Live transcription with keyword hints.' },
  { name: 'gpt-transcribe', hint: 'Transcribes after each turn, with keyword hints.' },
];
export const DEFAULT_TRANSCRIPTION_MODEL = TRANSCRIPTION_MODELS[0]!.name;
export const OLD_DEFAULT_TRANSCRIPTION_MODEL = 'gpt-4o-mini-transcribe';

const TRANSCRIPTION_SHUTDOWN = '2027-02-26';
const DEPRECATED_TRANSCRIPTION = ['whisper-1', 'gpt-4o-mini-transcribe', 'gpt-4o-mini-transcribe-2025-12-15', 'gpt-4o-transcribe', 'gpt-4o-transcribe-diarize'];

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** A catalogue entry by exact name, or by the dated snapshot's base name (gpt-realtime-2-2026-…). */
export function modelInfo(model: string): RealtimeModelInfo | undefined {
  const exact = REALTIME_MODELS.find((m) => m.name === model);
  if (exact) return exact;
  let best: RealtimeModelInfo | undefined;
  for (const m of REALTIME_MODELS) if (/^\d{4}-\d{2}-\d{2}$/.test(model.slice(m.name.length + 1)) && model.startsWith(`${m.name}-`) && (!best || m.name.length > best.name.length)) best = m;
  return best;
}

/**
 * Whether `reasoning` may be sent. Unknown names (Azure deployments, new models) get it only when
 * they look like a 2.x model: the server rejects the field on a model without reasoning.
 */
export function acceptsReasoning(model: string): boolean {
  const info = modelInfo(model);
  if (info) return info.reasoning;
  return /^gpt-realtime-[2-9]/.test(model);
}

export function realtimeDeprecation(model: string): Deprecation | null {
  const replacement = DEPRECATED_REALTIME[model];
  return replacement ? { shutdown: REALTIME_SHUTDOWN, replacement } : null;
}

export function transcriptionDeprecation(model: string): Deprecation | null {
  return DEPRECATED_TRANSCRIPTION.includes(model) ? { shutdown: TRANSCRIPTION_SHUTDOWN, replacement: DEFAULT_TRANSCRIPTION_MODEL } : null;
}

/** The notice a user of a deprecated model reads, in words. */
export function deprecationMessage(kind: 'model' | 'transcription', model: string, d: Deprecation): string {
  const what = kind === 'model' ? 'model' : 'transcription model';
  return `The ${what} "${model}" is deprecated: OpenAI shuts it down on ${d.shutdown}. Switch to "${d.replacement}" to keep Hark working.`;
}

/** Context window of a model, for the usage panel's fullness view; 128k when unknown. */
export function contextTokens(model: string): number {
  return modelInfo(model)?.contextTokens ?? (realtimeDeprecation(model) ? 32_000 : 128_000);
}

/** Most tokens a conversation may hold after the instructions: the window less the largest reply. */
export function postInstructionsRoom(model: string): number {
  const info = modelInfo(model);
  if (info) return info.contextTokens - info.maxOutputTokens;
  return realtimeDeprecation(model) ? 32_000 - 4_096 : 128_000 - 32_000;
}

/**
 * A session.update refused because of a model-dependent field, in words; null for other refusals.
 * `retryWithout` names the field to leave out so the rest of the settings still apply.
 */
export function explainModelRejection(param: string | null, model: string): { message: string; retryWithout: 'reasoning' | 'truncation' } | null {
  if (param?.startsWith('session.reasoning')) {
    return { message: `The model "${model}" does not take a reasoning effort, so Hark connected without one. Pick a 2.x model to use reasoning.`, retryWithout: 'reasoning' };
  }
  if (param?.startsWith('session.truncation')) {
    return { message: `The model "${model}" refused Hark's context limit, so the server's own truncation is used. Lower the limit in settings.`, retryWithout: 'truncation' };
  }
  return null;
}

/** Tokens the conversation may hold before the server truncates: the setting, within the model's room. */
export function contextLimit(model: string, postInstructionsTokens: number | null, mode: 'retention_ratio' | 'auto' | 'disabled'): number {
  const room = postInstructionsRoom(model);
  return mode === 'retention_ratio' && postInstructionsTokens !== null ? Math.min(postInstructionsTokens, room) : room;
}

/** Notices for the models a settings object names, when they are deprecated (shown at start). */
export function deprecationNotices(s: { model: string; transcription: { enabled: boolean; model: string } }): Array<{ level: 'warning'; message: string; code: string }> {
  const out: Array<{ level: 'warning'; message: string; code: string }> = [];
  const m = realtimeDeprecation(s.model);
  if (m) out.push({ level: 'warning', message: `${deprecationMessage('model', s.model, m)} (Settings → Connection.)`, code: 'model_deprecated' });
  const t = s.transcription.enabled ? transcriptionDeprecation(s.transcription.model) : null;
  if (t) out.push({ level: 'warning', message: `${deprecationMessage('transcription', s.transcription.model, t)} (Settings → Transcription.)`, code: 'transcription_deprecated' });
  return out;
}
