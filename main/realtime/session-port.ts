// The small port through which the session's pieces (connection, response queue, playback ledger,
// echo guard, item feed) act on the wire and on the user: send an event, tell a notice, mint an id.
// Only the facade (session.ts) implements it, so no piece imports another piece's owner and no
// circle can form; none of them sets the phase, they report and the facade decides.
import { randomBytes } from 'node:crypto';
import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import type { Notice } from '../../preload/api';

export interface SessionPort {
  /** Sends a client event with an id (so the server's error can be matched to it); null if no socket. */
  send(event: RealtimeClientEvent): string | null;
  notice(level: Notice['level'], message: string, code?: string | null): void;
  /** A fresh client item id. */
  newId(): string;
}

export function newItemId(): string {
  // The API accepts client ids up to 32 characters; the prefix marks them as ours in logs.
  return `hark_${randomBytes(12).toString('hex')}`;
}
