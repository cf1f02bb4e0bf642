// The least a client on a bare event stream must do for a voice loop, shared by the null client
// and the `openai` client so the two differ only in their socket layer: decode audio deltas to the
// sink, drop the deltas of a reply cut by speech_started and truncate it where it was, answer a tool call.
import { TOOL_OUTPUT, type Sink } from './client';

type Send = (event: Record<string, unknown>) => void;

export class ThinLoop {
  private current: { itemId: string; firstAt: number; receivedMs: number } | null = null;
  private readonly cut = new Set<string>();
  private updated: (() => void) | null = null;

  constructor(private readonly send: Send, private readonly sink: Sink) {}

  configure(update: Record<string, unknown>): Promise<void> {
    const done = new Promise<void>((resolve) => (this.updated = resolve));
    this.send(update);
    return done;
  }

  onEvent(e: any): void {
    switch (e.type) {
      case 'response.output_audio.delta': {
        if (this.cut.has(e.item_id)) return;
        const pcm = Buffer.from(e.delta, 'base64');
        const c = this.current !== null && this.current.itemId === e.item_id ? this.current : { itemId: e.item_id as string, firstAt: Date.now(), receivedMs: 0 };
        this.current = c;
        c.receivedMs += pcm.length / 48;
        this.sink.audio(pcm);
        return;
      }
      case 'input_audio_buffer.speech_started': {
        const c = this.current;
        if (!c) return;
        this.current = null;
        this.cut.add(c.itemId);
        const end = Math.floor(Math.min(Date.now() - c.firstAt, c.receivedMs));
        this.send({ type: 'conversation.item.truncate', item_id: c.itemId, content_index: 0, audio_end_ms: end });
        return;
      }
      case 'response.output_item.done':
        if (e.item?.type === 'function_call') {
          this.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: e.item.call_id, output: TOOL_OUTPUT } });
        }
        return;
      case 'response.done':
        if (e.response?.output?.some((o: any) => o.type === 'function_call')) this.send({ type: 'response.create' });
        this.sink.responseDone();
        return;
      case 'session.updated':
        this.updated?.();
        this.updated = null;
        return;
    }
  }
}
