// `npm run bench`: Hark's session core side by side with the SDKs and a null client, on the
// project's simulator over wss. Each client runs in its own process (pinned to one core where
// `taskset` exists), one at a time, in ABBA order (the order reverses every repeat, so drift in the
// machine's speed falls on both sides of a ratio). Prints one table of Hark/peer ratios with their
// spread over repeats; --json FILE writes every raw figure; --smoke runs each client once on tiny
// workloads and checks only that every client completed them.
//   npm run bench [-- --repeats N] [--json FILE] [--smoke] [--clients a,b] [--workloads a,b] [--from FILE]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PcmStamps } from '../simulator/stamp';
import { makeLoopbackCert } from '../simulator/tls';
import { startSimulator, type Simulator } from '../simulator/server';
import type { ChildResult, ClientName } from './child';
import { serverFigures, type RunRecord } from './server-figures';
import { renderTable } from './table';
import { simulatorOptions, sizeOf, WORKLOADS, type WorkloadName } from './workloads';

const ALL_CLIENTS: ClientName[] = ['hark', 'hark-app', 'agents-realtime', 'openai', 'null'];
const { values: args } = parseArgs({
  options: {
    repeats: { type: 'string', default: '2' },
    json: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    clients: { type: 'string' },
    workloads: { type: 'string' },
    from: { type: 'string' },
  },
});
// --from FILE prints the table of an earlier --json run again, without running anything.
if (args.from) {
  const saved = JSON.parse(readFileSync(args.from, 'utf8')) as { date: string; machine: string; repeats: number; smoke: boolean; records: RunRecord[] };
  console.log(renderTable(saved.records, { machine: `${saved.machine}; run ${saved.date}`, repeats: saved.repeats, smoke: saved.smoke, seconds: NaN }));
  process.exit(0);
}
const smoke = args.smoke;
const repeats = smoke ? 1 : Math.max(1, Number(args.repeats));
const clients = (args.clients?.split(',') ?? ALL_CLIENTS) as ClientName[];
const workloads = (args.workloads?.split(',') ?? WORKLOADS) as WorkloadName[];
const root = new URL('..', import.meta.url).pathname;
const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'hark-bench-'));

function runChild(client: ClientName, sims: Map<WorkloadName, Simulator>): Promise<ChildResult[]> {
  const pairs = [...sims].map(([w, sim]) => `${w}=${sim.url}`);
  // BENCH_CHILD_ARGS adds node options to each client process, e.g. --cpu-prof to find hot spots.
  const extra = process.env.BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? [];
  const node = [process.execPath, '--expose-gc', ...extra, '--import', 'tsx', join(root, 'bench', 'child.ts'), client, ...pairs, ...(smoke ? ['--smoke'] : [])];
  // The client gets the last core as far as the OS allows; the simulator runs in this process.
  const cmd = hasTaskset ? ['taskset', '-c', String(Math.max(0, navigatorCores() - 1)), ...node] : node;
  // Every simulator serves the same certificate, which the child trusts. The agents SDK's trace
  // export is off: nothing may leave the machine (its realtime session still sends `tracing`).
  const caFile = join(tmp, 'ca.pem');
  writeFileSync(caFile, cert.cert);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd[0]!, cmd.slice(1), { cwd: root, env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, OPENAI_AGENTS_DISABLE_TRACING: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const lines = out.split('\n').filter((l) => l.startsWith('BENCH-RESULT '));
      if (code === 0 && lines.length === sims.size) resolve(lines.map((l) => JSON.parse(l.slice('BENCH-RESULT '.length))));
      else reject(new Error(`${client} on ${[...sims.keys()].join(', ')} failed (exit ${code}):\n${err.slice(-2000)}`));
    });
  });
}

function navigatorCores(): number {
  return Number(spawnSync('nproc').stdout?.toString().trim()) || 1;
}

const records: RunRecord[] = [];
const cert = await makeLoopbackCert();
const started = Date.now();
// A full run gives each workload its own processes; the smoke run puts all of one client's in one.
const batches = smoke ? [workloads] : workloads.map((w) => [w]);
for (const batch of batches) {
  const sims = new Map<WorkloadName, Simulator>();
  for (const w of batch) sims.set(w, await startSimulator({ ...simulatorOptions(w, smoke), tls: cert }));
  try {
    for (let r = 0; r < repeats; r++) {
      const order = r % 2 === 0 ? clients : [...clients].reverse();
      for (const client of order) {
        const marks = new Map([...sims].map(([w, sim]) => {
          const stamps = new PcmStamps();
          sim.options.stamps = stamps;
          return [w, { stamps, from: sim.connections.length }];
        }));
        const results = await runChild(client, sims);
        for (const result of results) {
          const sim = sims.get(result.workload)!;
          const mark = marks.get(result.workload)!;
          records.push({ repeat: r, result, server: serverFigures(sim.connections.slice(mark.from), mark.stamps, result) });
          process.stderr.write(`  ${result.workload.padEnd(12)} ${client.padEnd(16)} repeat ${r + 1}: ${result.cpuMs.toFixed(0)} ms CPU in ${(result.wallMs / 1000).toFixed(1)} s\n`);
        }
      }
    }
  } finally {
    for (const sim of sims.values()) await sim.close();
  }
}

const machine = `${navigatorCores()} cores, node ${process.versions.node}, ${process.platform}${hasTaskset ? ', clients pinned with taskset' : ''}`;
console.log(renderTable(records, { machine, repeats, smoke, seconds: (Date.now() - started) / 1000 }));
if (args.json) {
  writeFileSync(args.json, JSON.stringify({ date: new Date().toISOString(), machine, repeats, smoke, records }, null, 1));
  console.log(`raw figures written to ${args.json}`);
}
if (smoke) {
  // The smoke run asserts completion only: every client took every turn and heard every reply.
  const short = records.filter((r) => r.result.responses < sizeOf(r.result.workload, true).turns * (r.result.workload === 'tools' ? 2 : 1) || r.result.replyAudioMs <= 0);
  for (const r of short) console.error(`bench smoke: ${r.result.client} did not complete ${r.result.workload} (${r.result.responses} responses, ${r.result.replyAudioMs} ms of audio)`);
  if (short.length || records.length !== clients.length * workloads.length) process.exit(1);
  console.log(`bench smoke: all ${clients.length} clients completed all ${workloads.length} workloads`);
}
