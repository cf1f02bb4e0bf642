// The bench's printed report: one table of Hark/peer CPU ratios per workload (median of the
// per-repeat ratios, with their min–max), then each client's own figures.
import type { ClientName } from './child';
import type { RunRecord } from './server-figures';
import { median, pct, spread } from './stats';
import type { WorkloadName } from './workloads';

const PEERS: ClientName[] = ['agents-realtime', 'openai', 'null'];
const LABEL: Record<WorkloadName, string> = {
  conversation: 'conversation (real time, barge-ins)',
  tools: 'a tool call every turn',
  flood: 'flood (300 s reply at 50×)',
  soak: 'soak (300 turns, compressed)',
};

/** CPU ms per conversation-minute (real-time workload) or per reply audio-second (compressed ones). */
export function cpuFigure(r: RunRecord): number {
  const x = r.result;
  return x.workload === 'conversation' ? (x.cpuMs / x.wallMs) * 60_000 : x.cpuMs / (x.replyAudioMs / 1000);
}

const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '–');

function ratio(records: RunRecord[], w: WorkloadName, a: ClientName, b: ClientName): string {
  const ratios: number[] = [];
  for (const ra of records.filter((r) => r.result.workload === w && r.result.client === a)) {
    const rb = records.find((r) => r.result.workload === w && r.result.client === b && r.repeat === ra.repeat);
    if (rb) ratios.push(cpuFigure(ra) / cpuFigure(rb));
  }
  if (!ratios.length) return '–';
  const s = spread(ratios);
  return ratios.length > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median);
}

export function renderTable(records: RunRecord[], meta: { machine: string; repeats: number; smoke: boolean; seconds: number }): string {
  const workloads = [...new Set(records.map((r) => r.result.workload))];
  const clients = [...new Set(records.map((r) => r.result.client))];
  const lines: string[] = [];
  lines.push(`Hark's CPU against each peer (Hark/peer, median over ${meta.repeats} repeat(s), min–max in brackets)${meta.smoke ? ' — SMOKE RUN, figures not meaningful' : ''}`);
  lines.push(Number.isFinite(meta.seconds) ? `${meta.machine}; ${f(meta.seconds, 0)} s` : meta.machine);
  lines.push('');
  const peerCols = PEERS.filter((p) => clients.includes(p));
  lines.push(`| workload | Hark CPU | ${peerCols.map((p) => `vs ${p}`).join(' | ')} | app listeners (hark-app/hark) |`);
  lines.push(`|---|---|${peerCols.map(() => '---|').join('')}---|`);
  for (const w of workloads) {
    const hark = records.filter((r) => r.result.workload === w && r.result.client === 'hark').map(cpuFigure);
    const unit = w === 'conversation' ? 'ms/conv-min' : 'ms/audio-s';
    lines.push(`| ${LABEL[w]} | ${f(median(hark), 1)} ${unit} | ${peerCols.map((p) => ratio(records, w, 'hark', p)).join(' | ')} | ${ratio(records, w, 'hark-app', 'hark')} |`);
  }
  lines.push('');
  lines.push('Each client (medians over repeats; latencies in ms, p50/p95 over all runs):');
  lines.push('');
  lines.push('| client | ws perMessageDeflate | conv CPU ms/min | flood CPU ms/audio-s | flood loop p99 | downlink delta→sink | uplink append→server | barge-in speech_started→truncate | late chunks to sink | tool turnaround | soak RSS start→end MB | soak heap start→end MB | soak CPU/append late÷early |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const c of clients) {
    const of = (w: WorkloadName) => records.filter((r) => r.result.client === c && r.result.workload === w);
    const all = records.filter((r) => r.result.client === c);
    const med = (w: WorkloadName, pick: (r: RunRecord) => number) => median(of(w).map(pick));
    const lat = (xs: number[]) => (xs.length ? `${f(pct(xs, 50))}/${f(pct(xs, 95))}` : '–');
    const down = all.flatMap((r) => r.result.sink.map((s) => s[2] / 1e6));
    const up = all.flatMap((r) => r.server.uplinkMs);
    const barge = of('conversation').flatMap((r) => r.server.bargeInMs);
    const late = of('conversation').reduce((n, r) => n + r.server.lateToSink, 0);
    const bargeIns = of('conversation').reduce((n, r) => n + r.server.bargeIns, 0);
    const tools = of('tools').flatMap((r) => r.server.toolTurnaroundMs);
    const soak = of('soak');
    const growth = soak.map((r) => {
      const xs = r.result.perAppendUs;
      const n = Math.max(1, Math.floor(xs.length / 6));
      return median(xs.slice(-n)) / median(xs.slice(Math.min(5, xs.length - 1), Math.min(5, xs.length - 1) + n));
    });
    lines.push(
      `| ${c} | ${all[0]?.result.deflate ?? '–'} | ${f(med('conversation', cpuFigure), 0)} | ${f(med('flood', cpuFigure), 1)} | ${f(med('flood', (r) => r.result.loopP99Ms), 1)} | ${lat(down)} | ${lat(up)} | ${lat(barge)} | ${bargeIns ? `${late} in ${bargeIns} cuts` : '–'} | ${lat(tools)} | ${soak.length ? `${f(med('soak', (r) => r.result.rssStartMb), 0)}→${f(med('soak', (r) => r.result.rssEndMb), 0)}` : '–'} | ${soak.length ? `${f(med('soak', (r) => r.result.heapStartMb), 1)}→${f(med('soak', (r) => r.result.heapEndMb), 1)}` : '–'} | ${growth.length ? f(median(growth)) : '–'} |`,
    );
  }
  return lines.join('\n');
}
