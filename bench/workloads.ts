// The four workloads of `npm run bench`, in one place for both sides: the simulator settings the
// parent serves each with, and the size of each (smaller in --smoke, where only completion counts).
import type { SimulatorOptions } from '../simulator/server';

export type WorkloadName = 'conversation' | 'tools' | 'flood' | 'soak';
export const WORKLOADS: WorkloadName[] = ['conversation', 'tools', 'flood', 'soak'];

export interface WorkloadSize {
  /** Turns the user takes (conversation: every other one barges in, the last one listens to the end). */
  turns: number;
  /** Reply audio per response, ms. */
  replyMs: number;
  /** The user's words per turn, ms (conversation). */
  speechMs?: number;
}

export function sizeOf(w: WorkloadName, smoke: boolean): WorkloadSize {
  switch (w) {
    case 'conversation':
      return smoke ? { turns: 2, replyMs: 1000, speechMs: 400 } : { turns: 7, replyMs: 3000, speechMs: 800 };
    case 'tools':
      return { turns: smoke ? 3 : 20, replyMs: 1000 };
    case 'flood':
      // 300 s of reply at 50× real time: a reply arriving far faster than it plays.
      return { turns: 1, replyMs: smoke ? 20_000 : 300_000 };
    case 'soak':
      return { turns: smoke ? 20 : 300, replyMs: 400 };
  }
}

const words = (ms: number) => Array.from({ length: Math.max(1, Math.round(ms / 400)) }, (_, i) => `word${i}`).join(' ');

export function simulatorOptions(w: WorkloadName, smoke: boolean): SimulatorOptions {
  const { replyMs } = sizeOf(w, smoke);
  const base: SimulatorOptions = { tls: true, updateDelayMs: 1, replyDelayMs: 0 };
  switch (w) {
    case 'conversation':
      // Real time: 40 ms chunks at twice real time, about the real server's 50 deltas a second.
      return { ...base, paceFactor: 2, audioChunkMs: 40, respond: () => ({ text: words(replyMs), audioMs: replyMs }) };
    case 'tools':
      return {
        ...base,
        paceFactor: 10,
        respond: (ctx) => (ctx.toolOutputs.length > 0 ? { text: 'It is noon.', audioMs: replyMs } : { toolCalls: [{ name: 'get_time', arguments: '{}' }] }),
      };
    case 'flood':
      return { ...base, paceFactor: 50, audioChunkMs: 100, respond: () => ({ text: words(replyMs), audioMs: replyMs }) };
    case 'soak':
      return { ...base, paceFactor: Infinity, respond: () => ({ text: 'Ok.', audioMs: replyMs }) };
  }
}
