// @openai/agents-realtime: a RealtimeSession (history objects, guardrails, tool approvals) over its
// OpenAIRealtimeWebSocket transport, which opens `ws` with that library's defaults.
import { OpenAIRealtimeWebSocket, RealtimeAgent, RealtimeSession, tool } from '@openai/agents-realtime';
import { API_KEY, MODEL, TOOL, TOOL_OUTPUT, TURN_DETECTION, type BenchClient, type Sink } from './client';

export class AgentsClient implements BenchClient {
  readonly deflate = 'ws default (true: offered, and the simulator accepts it)';
  private session: RealtimeSession | null = null;

  async connect(url: string, sink: Sink, withTool: boolean): Promise<void> {
    const tools = withTool
      ? [tool({ name: TOOL.name, description: TOOL.description, parameters: TOOL.parameters as any, strict: true, execute: async () => TOOL_OUTPUT })]
      : [];
    const agent = new RealtimeAgent({ name: 'bench', instructions: 'Be brief.', tools });
    const session = new RealtimeSession(agent, {
      transport: new OpenAIRealtimeWebSocket({ url: `${url}?model=${MODEL}` }),
      model: MODEL,
      config: {
        outputModalities: ['audio'],
        audio: {
          input: { format: { type: 'audio/pcm', rate: 24000 }, turnDetection: { type: 'server_vad', threshold: TURN_DETECTION.threshold, prefixPaddingMs: TURN_DETECTION.prefix_padding_ms, silenceDurationMs: TURN_DETECTION.silence_duration_ms, createResponse: true, interruptResponse: true } },
          output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin' },
        },
      },
    });
    this.session = session;
    session.on('audio', (e) => sink.audio(new Uint8Array(e.data)));
    session.transport.on('turn_done', () => sink.responseDone());
    session.on('error', (e) => console.error(`agents-realtime: ${JSON.stringify((e as any).error?.message ?? e).slice(0, 300)}`));
    await session.connect({ apiKey: API_KEY, url: `${url}?model=${MODEL}` });
  }

  append(pcm: Int16Array): void {
    const copy = pcm.slice();
    this.session!.sendAudio(copy.buffer);
  }

  async close(): Promise<void> {
    this.session?.close();
  }
}
