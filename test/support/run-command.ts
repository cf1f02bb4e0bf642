// Runs a command as a user would (its own process, no stdin) and collects what it printed and how
// it exited: the tests of talk, the demo and the launcher read a newcomer's words from here.
import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCommand(args: string[], o: { cwd: string; env?: Record<string, string | undefined> }): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
