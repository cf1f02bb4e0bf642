// The floor: raw `ws`, JSON.parse, one base64 decode, nothing else. What it must do for the
// workloads to run at all (answer a tool call, cut a reply on speech_started) it does in the
// fewest lines, and the thin openai client below does exactly the same.
import WebSocket from 'ws';
import { API_KEY, MODEL, sessionUpdate, pcmBase64, type BenchClient, type Sink } from './client';
import { ThinLoop } from './thin-loop';

export class NullClient implements BenchClient {
  readonly deflate = 'false';
  private ws: WebSocket | null = null;

  async connect(url: string, sink: Sink, withTool: boolean): Promise<void> {
    const ws = new WebSocket(`${url}?model=${MODEL}`, { headers: { Authorization: `Bearer ${API_KEY}` }, perMessageDeflate: false });
    this.ws = ws;
    const loop = new ThinLoop((e) => ws.send(JSON.stringify(e)), sink);
    ws.on('message', (data) => loop.onEvent(JSON.parse(data.toString())));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    await loop.configure(sessionUpdate(withTool));
  }

  append(pcm: Int16Array): void {
    this.ws!.send(JSON.stringify({ type: 'input_audio_buffer.append', audio: pcmBase64(pcm) }));
  }

  async close(): Promise<void> {
    this.ws?.close();
  }
}
