// The simulator in a process of its own, for what measures the client's memory or event loop (the
// flood and huge-frame tests, the soak, the SIGKILL cycles): in-process, the server's own buffers
// and work would be counted as the client's, and only a process of its own can be killed mid-reply.
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;

export interface ChildSimulator {
  url: string;
  /** SIGKILLs it at once; resolves when the process is gone. */
  kill(): Promise<void>;
}

/** `options`: SimulatorOptions as JavaScript source (functions allowed), e.g. "{ paceFactor: 50 }". */
export function startChildSimulator(options: string): Promise<ChildSimulator> {
  return new Promise((resolve, reject) => {
    const code = `import('./simulator/server.ts').then((m) => m.startSimulator(${options})).then((s) => console.log('URL ' + s.url));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      const m = /URL (\S+)/.exec(d);
      if (m) resolve({ url: m[1]!, kill: () => (child.kill('SIGKILL'), exited) });
    });
    child.on('exit', (c) => reject(new Error(`simulator exited ${c}`)));
  });
}
