// Builds the GA `session` object from settings. Only GA field names appear here: a beta-shaped field
// (top-level `voice`, `turn_detection`, `modalities`…) makes the server reject the whole update.
import type {
  RealtimeAudioInputTurnDetection,
  RealtimeFunctionTool,
  RealtimeSessionCreateRequest,
  RealtimeTruncation,
} from 'openai/resources/realtime/realtime';
import type { Settings } from '../../common/settings/settings-schema';
import { SAMPLE_RATE } from '../../common/audio-format';
import { acceptsReasoning, postInstructionsRoom } from '../../common/models';

export function buildTurnDetection(td: Settings['turnDetection']): RealtimeAudioInputTurnDetection | null {
  switch (td.mode) {
    case 'none':
    case 'local': // Hark's own detector commits; the server only hears the speech
      return null;
    case 'semantic_vad':
      return { type: 'semantic_vad', eagerness: td.eagerness, create_response: true, interrupt_response: true };
    case 'server_vad':
      return {
        type: 'server_vad',
        threshold: td.threshold,
        prefix_padding_ms: td.prefixPaddingMs,
        silence_duration_ms: td.silenceDurationMs,
        idle_timeout_ms: td.idleTimeoutMs,
        create_response: true,
        interrupt_response: true,
      };
  }
}

/** `model` is left out: it is fixed by the connection URL and cannot change mid-session. */
export function buildSessionConfig(settings: Settings, tools: RealtimeFunctionTool[]): RealtimeSessionCreateRequest {
  const transcription = settings.transcription.enabled
    ? { model: settings.transcription.model, ...(settings.transcription.language ? { language: settings.transcription.language } : {}) }
    : null;
  return {
    type: 'realtime',
    instructions: settings.instructions,
    output_modalities: [settings.outputModality],
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: SAMPLE_RATE },
        // The SDK types omit null, but null is how the API switches these off.
        noise_reduction: (settings.noiseReduction === 'off' ? null : { type: settings.noiseReduction }) as never,
        transcription: transcription as never,
        turn_detection: buildTurnDetection(settings.turnDetection),
      },
      output: { format: { type: 'audio/pcm', rate: SAMPLE_RATE }, voice: settings.voice, speed: settings.speed },
    },
    tools,
    tool_choice: 'auto',
    truncation: buildTruncation(settings.truncation, settings.model),
    // A model without reasoning rejects the whole update if the field is there.
    ...(acceptsReasoning(settings.model) ? { reasoning: { effort: settings.reasoningEffort } } : {}),
  };
}

/** The server refuses a limit above the model's room, so a smaller model gets its own room. */
export function buildTruncation(t: Settings['truncation'], model: string): RealtimeTruncation {
  if (t.mode !== 'retention_ratio') return t.mode;
  return {
    type: 'retention_ratio',
    retention_ratio: t.retentionRatio,
    ...(t.postInstructionsTokens !== null ? { token_limits: { post_instructions: Math.min(t.postInstructionsTokens, postInstructionsRoom(model)) } } : {}),
  };
}
