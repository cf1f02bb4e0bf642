// What the benchmark asks of every client it compares: connect with the same session settings,
// append PCM, hand decoded reply PCM to the sink, say when a response ended. Each adapter is the
// least code a user of that library would write for a voice loop with barge-in and one tool.

export interface Sink {
  /** Decoded reply PCM16 (24 kHz mono) as the client hands it to its player. */
  audio(pcm: Uint8Array): void;
  /** A response ended (completed, cancelled, or ended for a tool call). */
  responseDone(): void;
}

export interface BenchClient {
  /** The ws `perMessageDeflate` option the client's socket is opened with. */
  readonly deflate: string;
  connect(url: string, sink: Sink, withTool: boolean): Promise<void>;
  append(pcm: Int16Array): void;
  close(): Promise<void>;
}

export const API_KEY = 'sk-bench';
export const MODEL = 'gpt-realtime';

/** One server VAD for all: 500 ms of silence ends a turn; speech during a reply cancels it. */
export const TURN_DETECTION = {
  type: 'server_vad',
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 500,
  create_response: true,
  interrupt_response: true,
} as const;

export const TOOL = {
  type: 'function',
  name: 'get_time',
  description: 'The current local time.',
  parameters: { type: 'object', properties: {}, required: [], additionalProperties: false },
} as const;

export const TOOL_OUTPUT = JSON.stringify({ local: '12:00' });

/** The GA session.update a thin client sends itself. */
export function sessionUpdate(withTool: boolean) {
  return {
    type: 'session.update',
    session: {
      type: 'realtime',
      model: MODEL,
      output_modalities: ['audio'],
      audio: {
        input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: TURN_DETECTION, transcription: null },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin' },
      },
      tools: withTool ? [TOOL] : [],
    },
  };
}

export function pcmBase64(pcm: Int16Array): string {
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64');
}
