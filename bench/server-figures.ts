// What the simulator saw of one client's run: uplink latency from the stamps in appended PCM,
// barge-in (speech_started sent → the client's truncate received), reply audio the client still
// handed to its sink after the cut, and tool-call turnaround (arguments done → response.create).
import type { SimConnection } from '../simulator/server';
import type { PcmStamps } from '../simulator/stamp';
import type { ChildResult } from './child';

export interface ServerFigures {
  uplinkMs: number[];
  bargeInMs: number[];
  bargeIns: number;
  /** Chunks of a cut reply, sent after speech_started, that still reached the sink. */
  lateToSink: number;
  toolTurnaroundMs: number[];
}

export interface RunRecord {
  repeat: number;
  result: ChildResult;
  server: ServerFigures;
}

export function serverFigures(conns: SimConnection[], stamps: PcmStamps, result: ChildResult): ServerFigures {
  // performance.now() here and the stamps' monotonic clock differ by a constant.
  const offsetNs = Number(process.hrtime.bigint()) - performance.now() * 1e6;
  const out: ServerFigures = { uplinkMs: stamps.uplinkNs.map((n) => n / 1e6), bargeInMs: [], bargeIns: 0, lateToSink: 0, toolTurnaroundMs: [] };
  for (const conn of conns) {
    const log = [...conn.sent.map((r) => ({ ...r, dir: 'out' as const })), ...conn.received.map((r) => ({ ...r, dir: 'in' as const }))].sort((a, b) => a.t - b.t);
    let active: string | null = null;
    for (let i = 0; i < log.length; i++) {
      const { t, dir, event } = log[i]!;
      const type = event?.type;
      if (dir === 'out' && type === 'response.output_audio.delta') active = event.response_id;
      else if (dir === 'out' && type === 'response.done') {
        if (event.response?.id === active) active = null;
      } else if (dir === 'out' && type === 'input_audio_buffer.speech_started' && active) {
        out.bargeIns++;
        const cut = active;
        const truncate = log.slice(i + 1).find((r) => r.dir === 'in' && r.event?.type === 'conversation.item.truncate');
        if (truncate) out.bargeInMs.push(truncate.t - t);
        const tag = stamps.tagOf(cut);
        const afterNs = t * 1e6 + offsetNs;
        out.lateToSink += result.sink.filter(([tg, sentNs]) => tg === tag && sentNs > afterNs).length;
      } else if (dir === 'out' && type === 'response.function_call_arguments.done') {
        const create = log.slice(i + 1).find((r) => r.dir === 'in' && r.event?.type === 'response.create');
        if (create) out.toolTurnaroundMs.push(create.t - t);
      }
    }
  }
  return out;
}
