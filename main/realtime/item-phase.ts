// Fields of 2026 server items that the openai types lack, read defensively: `phase` on assistant
// messages (a spoken preamble before a tool call is "commentary", the answer "final_answer").
import type { AssistantPhase } from '../../preload/api';

export function readPhase(item: Record<string, unknown>): AssistantPhase | undefined {
  return item.phase === 'commentary' || item.phase === 'final_answer' ? item.phase : undefined;
}

/** What the server reported for a new session, so a model's own defaults are known (2.x: 500 ms, marin). */
export interface ReportedSession {
  model: string | null;
  voice: string | null;
  silenceDurationMs: number | null;
}

export function readReportedSession(session: Record<string, unknown>): ReportedSession {
  const o = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
  const audio = o(session.audio);
  const td = o(o(audio.input).turn_detection);
  const voice = o(audio.output).voice;
  return {
    model: typeof session.model === 'string' ? session.model : null,
    voice: typeof voice === 'string' ? voice : null,
    silenceDurationMs: typeof td.silence_duration_ms === 'number' ? td.silence_duration_ms : null,
  };
}
