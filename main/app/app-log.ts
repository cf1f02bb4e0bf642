// Main's log: one JSON line per event in a rotating file in the user-data folder (logs/hark.log,
// then hark.log.1 … as it fills), which a user can attach to a bug report ("Open log folder" in the
// tray). pino writes the lines; rotating-file-stream rotates them in-process (no worker thread, so it
// works the same bundled in Electron and under node in tests). Every line passes the one redaction
// (main/security/redact.ts) on its way to the file: a message or an error may carry a key.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { redactText } from '../security/redact';

export const LOG_FILE = 'hark.log';

export interface AppLogOptions {
  /** The user-data folder; the log goes to its logs/ folder. */
  userData: string;
  /** Rotate when the file reaches this size (rotating-file-stream's syntax: '1M', '10K'). */
  size?: `${number}${'B' | 'K' | 'M'}`;
  /** Rotated files kept beside the current one. */
  keep?: number;
  level?: 'debug' | 'info' | 'warn' | 'error';
}

export interface AppLog {
  log: Logger;
  /** The folder the tray's "Open log folder" opens. */
  dir: string;
  /** Resolves on the next rotation (tests). */
  rotated(): Promise<void>;
  close(): Promise<void>;
}

export function openAppLog(o: AppLogOptions): AppLog {
  const dir = join(o.userData, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // 1 MB × 5 is plenty for a bug report and never fills a disk.
  const stream: RotatingFileStream = createStream(LOG_FILE, { path: dir, size: o.size ?? '1M', rotate: o.keep ?? 5, mode: 0o600 });
  stream.on('error', () => {}); // a full disk must not end the app; the lines are lost, nothing else
  const log = pino({ level: o.level ?? 'info', base: { pid: process.pid }, hooks: { streamWrite: redactText } }, stream);
  return {
    log,
    dir,
    rotated: () => new Promise<void>((resolve) => stream.once('rotated', () => resolve())),
    close: () => new Promise<void>((resolve) => stream.end(() => resolve())),
  };
}
