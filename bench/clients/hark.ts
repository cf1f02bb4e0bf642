// Hark's session core as the app runs it (main/realtime/session.ts), alone ("hark") or with the
// app's own listeners ("hark-app"): the event log and the renderer link, whose IPC messages are
// redacted and structured-cloned as Electron's webContents.send would, and a renderer that answers
// the player's stop at once.
import { z } from 'zod';
import { EventLog } from '../../main/app/event-log';
import { linkSessionToRenderer, RendererPlayback, type EmitToRenderer } from '../../main/app/renderer-link';
import { RealtimeSession } from '../../main/realtime/session';
import { redact } from '../../main/security/redact';
import { settingsSchema } from '../../common/settings/settings-schema';
import { defineTool, ToolRegistry } from '../../main/tools/tool-registry';
import { API_KEY, TOOL, TOOL_OUTPUT, TURN_DETECTION, type BenchClient, type Sink } from './client';

const AUDIO_CHANNELS = new Set(['audio:delta', 'audio:done', 'audio:interrupt', 'mic:gate', 'eventlog:entry']);

export class HarkClient implements BenchClient {
  readonly deflate = 'false';
  private session: RealtimeSession | null = null;

  constructor(private readonly withApp: boolean) {}

  async connect(url: string, sink: Sink, withTool: boolean): Promise<void> {
    const settings = settingsSchema.parse({
      endpoint: { kind: 'custom', url },
      turnDetection: { mode: 'server_vad', threshold: TURN_DETECTION.threshold, prefixPaddingMs: TURN_DETECTION.prefix_padding_ms, silenceDurationMs: TURN_DETECTION.silence_duration_ms },
      transcription: { enabled: false },
    });
    const tools = new ToolRegistry(withTool ? [defineTool({ name: TOOL.name, description: TOOL.description, parameters: z.object({}), run: () => JSON.parse(TOOL_OUTPUT) })] : []);
    let playback: RendererPlayback | undefined;
    let link: ReturnType<typeof linkSessionToRenderer> | undefined;
    if (this.withApp) {
      // The renderer's side of the wire: every message crosses a structured clone.
      let played: { itemId: string; firstAt: number } | null = null;
      const emit: EmitToRenderer = (channel, payload) => {
        const out = AUDIO_CHANNELS.has(channel) && channel !== 'eventlog:entry' ? payload : redact(payload);
        const msg = structuredClone(out) as any;
        if (channel === 'audio:delta') {
          if (played?.itemId !== msg.itemId) played = { itemId: msg.itemId, firstAt: Date.now() };
          sink.audio(new Uint8Array(msg.pcm));
        } else if (channel === 'audio:interrupt') {
          const p = played;
          queueMicrotask(() => link!.handlers['audio:interrupted']({ requestId: msg.requestId, itemId: p?.itemId ?? null, playedMs: p ? Date.now() - p.firstAt : 0 }, { senderId: 1 }));
        }
      };
      playback = new RendererPlayback(emit);
      this.session = new RealtimeSession({ settings, apiKey: API_KEY, tools, playback });
      link = linkSessionToRenderer(this.session, playback, emit);
      const log = new EventLog(this.session);
      log.watch(null);
    } else {
      this.session = new RealtimeSession({ settings, apiKey: API_KEY, tools });
      this.session.on('audio', (a) => sink.audio(a.pcm));
    }
    this.session.on('response', () => sink.responseDone());
    await this.session.connect();
  }

  append(pcm: Int16Array): void {
    this.session!.appendAudio(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  }

  async close(): Promise<void> {
    this.session?.disconnect();
  }
}
