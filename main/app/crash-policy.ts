// What main does with an exception nobody caught: Electron's default is a modal error box and, for
// some, a dead main process. A voice companion should rather log it (redacted: a message may carry
// a key a server echoed), tell the user once that something failed, and keep running.
import { redactText } from '../security/redact';

export interface CrashPorts {
  log(line: string): void;
  /** Shown to the user (a notice); called once per process. */
  tell(message: string): void;
}

interface ProcessLike {
  on(event: 'uncaughtException', fn: (err: unknown) => void): unknown;
  on(event: 'unhandledRejection', fn: (reason: unknown) => void): unknown;
}

export function installCrashPolicy(proc: ProcessLike, ports: CrashPorts): { readonly count: number } {
  const state = { count: 0 };
  const handle = (kind: string) => (err: unknown) => {
    state.count++;
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    try {
      ports.log(redactText(`[hark] ${kind}: ${text}`));
      if (state.count === 1) ports.tell('Something inside Hark failed unexpectedly; it keeps running. If something stops working, restart Hark.');
    } catch {
      // The policy itself must never throw from here: that would end the process after all.
    }
  };
  proc.on('uncaughtException', handle('uncaught exception'));
  proc.on('unhandledRejection', handle('unhandled rejection'));
  return state;
}
