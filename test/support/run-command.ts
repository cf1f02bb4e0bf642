// Runs a command as a user would (its own process, no stdin) and collects what it printed and how
// it exited: the tests of talk, the demo and the launcher read a newcomer's words from here.
// With `timeoutMs`, a command still running then is killed and reported as hung, so a test of
// "it ends" fails in words instead of hanging the suite.
import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  /** It was still running at `timeoutMs` and was killed. */
  hung?: true;
}

export function runCommand(args: string[], o: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number }): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hung = false;
    const timer = o.timeoutMs === undefined ? null : setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, ...(hung ? { hung: true as const } : {}) });
    });
  });
}
