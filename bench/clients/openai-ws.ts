// The `openai` package's OpenAIRealtimeWS: a typed event emitter over `ws`, no conversation state.
// It is pointed at the simulator through its baseURL (https → wss), so it runs over TLS as it
// would against the real server.
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { API_KEY, MODEL, sessionUpdate, pcmBase64, type BenchClient, type Sink } from './client';
import { ThinLoop } from './thin-loop';

export class OpenAIWsClient implements BenchClient {
  readonly deflate = 'false (the SDK default)';
  private rt: OpenAIRealtimeWS | null = null;

  async connect(url: string, sink: Sink, withTool: boolean): Promise<void> {
    const base = new URL(url.replace(/^ws/, 'http'));
    base.pathname = base.pathname.replace(/\/realtime$/, '');
    const rt = new OpenAIRealtimeWS({ model: MODEL }, new OpenAI({ apiKey: API_KEY, baseURL: base.toString() }));
    this.rt = rt;
    const loop = new ThinLoop((e) => rt.send(e as never), sink);
    rt.on('event', (e) => loop.onEvent(e));
    rt.on('error', (err) => console.error(`openai client: ${err.message}`));
    await new Promise<void>((resolve, reject) => {
      rt.socket.once('open', () => resolve());
      rt.socket.once('error', reject);
    });
    await loop.configure(sessionUpdate(withTool));
  }

  append(pcm: Int16Array): void {
    this.rt!.send({ type: 'input_audio_buffer.append', audio: pcmBase64(pcm) });
  }

  async close(): Promise<void> {
    this.rt?.close();
  }
}
