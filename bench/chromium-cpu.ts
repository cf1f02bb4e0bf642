// CPU of one Chromium and everything it started, from the OS's own accounting (/proc: utime+stime),
// split by Chromium's process type (browser, renderer, gpu-process, utility such as the audio
// service), so a page's share can be told from the browser's; and each process's resident memory,
// for the renderer soak.
import { readdirSync, readFileSync } from 'node:fs';

export interface ChromiumProcess {
  pid: number;
  /** Chromium's process type: browser, renderer, gpu-process, "utility AudioService"… */
  type: string;
  /** CPU seconds so far (utime + stime). */
  cpu: number;
  /** Resident set (VmRSS), in KiB. */
  rssKiB: number;
}

/** Every process of the Chromium started with `--user-data-dir=profile` (the browser and what it started). */
export function chromiumProcesses(profile: string): ChromiumProcess[] {
  const parent = new Map<number, number>();
  const procs = new Map<number, ChromiumProcess>();
  let root = -1;
  for (const p of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const st = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      parent.set(+p, +f[1]!);
      const t = /--type=([a-z-]+)/.exec(cmd)?.[1];
      const sub = /--utility-sub-type=([\w.]+)/.exec(cmd)?.[1];
      // rss is field 24 of stat in pages; VmRSS in status says KiB outright.
      const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1];
      procs.set(+p, { pid: +p, type: t ? (sub ? `${t} ${sub.split('.').slice(-1)[0]}` : t) : 'browser', cpu: (+f[11]! + +f[12]!) / 100, rssKiB: rss ? +rss : 0 });
      if (root < 0 && cmd.includes(`--user-data-dir=${profile}`) && !t) root = +p;
    } catch {
      // the process ended meanwhile
    }
  }
  const inTree = (pid: number): boolean => pid === root || (pid > 1 && parent.has(pid) && inTree(parent.get(pid)!));
  return root > 0 ? [...procs.values()].filter((p) => inTree(p.pid)) : [];
}

/** CPU seconds so far, by process type, of the Chromium started with `--user-data-dir=profile`. */
export function chromiumCpuByType(profile: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of chromiumProcesses(profile)) out.set(p.type, (out.get(p.type) ?? 0) + p.cpu);
  return out;
}

/** Total CPU seconds so far of that Chromium's tree. */
export function chromiumCpu(profile: string): number {
  return [...chromiumCpuByType(profile).values()].reduce((a, b) => a + b, 0);
}

/** The page's renderer: the largest renderer process of that Chromium (the others are spare or extensions). */
export function pageRenderer(profile: string): { pid: number; rssMiB: number; cpu: number; renderers: number } {
  const all = chromiumProcesses(profile).filter((p) => p.type === 'renderer');
  const r = all.sort((a, b) => b.rssKiB - a.rssKiB)[0];
  if (!r) throw new Error('no renderer process found');
  return { pid: r.pid, rssMiB: r.rssKiB / 1024, cpu: r.cpu, renderers: all.length };
}

/** The page's JS heap in MiB after a full collection: what it really retains. */
export async function heapAfterGc(cdp: { send(method: 'HeapProfiler.collectGarbage'): Promise<unknown>; send(method: 'Runtime.getHeapUsage'): Promise<{ usedSize: number }> }): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize / 2 ** 20;
}
