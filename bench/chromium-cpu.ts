// CPU of one Chromium and everything it started, from the OS's own accounting (/proc: utime+stime),
// split by Chromium's process type (browser, renderer, gpu-process, utility such as the audio
// service), so a page's share can be told from the browser's.
import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds so far, by process type, of the Chromium started with `--user-data-dir=profile`. */
export function chromiumCpuByType(profile: string): Map<string, number> {
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  const type = new Map<number, string>();
  let root = -1;
  for (const p of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const st = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      parent.set(+p, +f[1]!);
      cpu.set(+p, (+f[11]! + +f[12]!) / 100);
      const t = /--type=([a-z-]+)/.exec(cmd)?.[1];
      const sub = /--utility-sub-type=([\w.]+)/.exec(cmd)?.[1];
      type.set(+p, t ? (sub ? `${t} ${sub.split('.').slice(-1)[0]}` : t) : 'browser');
      if (root < 0 && cmd.includes(`--user-data-dir=${profile}`) && !t) root = +p;
    } catch {
      // the process ended meanwhile
    }
  }
  const inTree = (pid: number): boolean => pid === root || (pid > 1 && parent.has(pid) && inTree(parent.get(pid)!));
  const out = new Map<string, number>();
  for (const [pid, c] of cpu) if (root > 0 && inTree(pid)) out.set(type.get(pid)!, (out.get(type.get(pid)!) ?? 0) + c);
  return out;
}

/** Total CPU seconds so far of that Chromium's tree. */
export function chromiumCpu(profile: string): number {
  return [...chromiumCpuByType(profile).values()].reduce((a, b) => a + b, 0);
}
