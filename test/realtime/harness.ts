// Joins a RealtimeSession to the simulator with a real-time speaker, and records what happens, so
// each test reads like the conversation it checks.
import type { ConversationItem, Notice, SessionState } from '../../preload/api';
import { RealtimeSession, type SessionOptions } from '../../main/realtime/session';
import { settingsSchema, type SettingsInput } from '../../common/settings/settings-schema';
import { ToolRegistry, type Tool } from '../../main/tools/tool-registry';
import { currentTimeTool } from '../../main/tools/builtin/current-time';
import { Speaker } from '../../main/talk/speaker';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator/server';

let unhandled = 0;
process.on('unhandledRejection', (err) => {
  unhandled++;
  console.error('unhandled rejection in test:', err);
});
export const unhandledRejections = () => unhandled;

export interface Pair {
  sim: Simulator;
  session: RealtimeSession;
  speaker: Speaker;
  notices: Notice[];
  states: SessionState[];
  /** Audio handed to the speaker, by response id, with the time it arrived. */
  audio: Array<{ responseId: string; itemId: string; bytes: number; at: number }>;
  close(): Promise<void>;
}

export interface PairOptions {
  sim?: SimulatorOptions;
  settings?: SettingsInput;
  tools?: Tool[];
  key?: string | null;
  session?: Partial<SessionOptions>;
  /** Reuse a running simulator. */
  simulator?: Simulator;
}

export async function startPair(o: PairOptions = {}): Promise<Pair> {
  const sim = o.simulator ?? (await startSimulator({ paceFactor: 10, updateDelayMs: 1, transcriptionDelayMs: 20, ...o.sim }));
  const settings = settingsSchema.parse({ ...o.settings, endpoint: { kind: 'custom', url: sim.url } });
  // Nothing reads back what it played, so it keeps none of it (a long test measures the client, not a recording).
  const speaker = new Speaker({ record: false });
  const session = new RealtimeSession({
    settings,
    apiKey: o.key === undefined ? 'sk-test-CANARY-123456' : o.key,
    tools: new ToolRegistry(o.tools ?? [currentTimeTool('Europe/Paris')]),
    playback: speaker,
    backoff: { baseMs: 50, maxMs: 200, stableMs: 5_000 },
    ...o.session,
  });
  const pair: Pair = {
    sim,
    session,
    speaker,
    notices: [],
    states: [],
    audio: [],
    async close() {
      session.disconnect();
      speaker.close();
      if (!o.simulator) await sim.close();
    },
  };
  session.on('notice', (n) => pair.notices.push(n));
  session.on('state', (s) => pair.states.push(s));
  session.on('audio', (a) => {
    pair.audio.push({ responseId: a.responseId, itemId: a.itemId, bytes: a.pcm.length, at: performance.now() });
    speaker.push(a);
  });
  return pair;
}

/** PCM16 24 kHz: a tone loud enough for the simulator's VAD. */
export function tone(ms: number, freq = 440, amp = 0.5): Uint8Array {
  const n = Math.round((ms * 24_000) / 1000);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amp * 32767 * Math.sin((2 * Math.PI * freq * i) / 24_000));
  return new Uint8Array(out.buffer);
}

export function silence(ms: number): Uint8Array {
  return new Uint8Array(Math.round((ms * 24_000) / 1000) * 2);
}

/** Appends audio in 20 ms frames, as the renderer does (no pacing: the simulator's VAD counts samples). */
export function speak(session: RealtimeSession, ...clips: Uint8Array[]): void {
  for (const clip of clips) for (let at = 0; at < clip.length; at += 960) session.appendAudio(clip.subarray(at, at + 960));
}

export function once<T>(emitter: RealtimeSession, event: 'response', pred: (r: { id: string; status: string }) => boolean): Promise<T>;
export function once<T>(emitter: RealtimeSession, event: string, pred: (v: any) => boolean = () => true): Promise<T> {
  const plain = emitter as unknown as import('node:events').EventEmitter;
  return new Promise((resolve) => {
    const h = (v: any) => {
      if (pred(v)) {
        plain.off(event, h);
        resolve(v as T);
      }
    };
    plain.on(event, h);
  });
}

export function waitForPhase(session: RealtimeSession, phase: SessionState['phase']): Promise<SessionState> {
  if (session.state.phase === phase) return Promise.resolve(session.state);
  return new Promise((resolve) => {
    const h = (s: SessionState) => {
      if (s.phase === phase) {
        session.off('state', h);
        resolve(s);
      }
    };
    session.on('state', h);
  });
}

/** Resolves when a response completes and the conversation has settled back to listening. */
/** The next completed reply; a 2.x preamble (phase "commentary") before a tool call is not one. */
export async function replyCompleted(session: RealtimeSession): Promise<ConversationItem> {
  const isReply = (i: ConversationItem, id: string) => i.responseId === id && i.type === 'message' && i.phase !== 'commentary';
  const r = await once<{ id: string; status: string }>(session, 'response', (x) => x.status === 'completed' && session.conversation.items().some((i) => isReply(i, x.id)));
  return session.conversation.items().find((i) => isReply(i, r.id))!;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function received(sim: Simulator, type: string, conn = -1): any[] {
  const c = sim.connections.at(conn);
  return (c?.received ?? []).map((r) => r.event).filter((e) => e?.type === type);
}

export function sent(sim: Simulator, type: string, conn = -1): any[] {
  const c = sim.connections.at(conn);
  return (c?.sent ?? []).map((r) => r.event).filter((e) => e?.type === type);
}
