// An append-only JSON-lines file that survives a crash. Each append is one write followed by an
// fsync, so a turn is either on disk or not; a crash mid-write can leave at most a torn last line,
// which reading drops (and repair cuts off) without touching the records before it.
import { open, readFile, truncate } from 'node:fs/promises';

export interface LogRead<T> {
  records: T[];
  /** What was dropped, in words; null when the file was whole. */
  problem: string | null;
  /** Bytes up to the end of the last whole line: where a repair cuts. */
  goodBytes: number;
  tornTail: boolean;
  /** The file needs repair before the next append: a torn tail, or a whole last record without its newline. */
  needsRepair: boolean;
}

export async function readLog<T>(path: string): Promise<LogRead<T>> {
  const buf = await readFile(path);
  const records: T[] = [];
  let bad = 0;
  let start = 0;
  let goodBytes = 0;
  let tornTail = false;
  let unterminated = false;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl === -1 ? buf.length : nl;
    const line = buf.subarray(start, end).toString('utf8').trim();
    const last = nl === -1 || nl === buf.length - 1;
    let ok = line === '';
    if (!ok) {
      try {
        const v = JSON.parse(line) as unknown;
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          records.push(v as T);
          ok = true;
        }
      } catch {
        // counted below
      }
    }
    if (ok && nl !== -1) goodBytes = nl + 1;
    if (!ok) {
      if (last) tornTail = true;
      else bad++;
    }
    // A whole record without its newline is still whole; the next append must not join it.
    if (ok && nl === -1 && line !== '') {
      goodBytes = -1;
      unterminated = true;
    }
    start = end + 1;
  }
  const problems: string[] = [];
  if (tornTail) problems.push('the last record was cut short (Hark probably stopped mid-write) and was dropped');
  if (bad) problems.push(`${bad} damaged record${bad === 1 ? ' was' : 's were'} skipped`);
  return {
    records,
    problem: problems.length ? `${problems.join('; ')}; the other ${records.length} record${records.length === 1 ? ' is' : 's are'} intact.` : null,
    goodBytes: goodBytes === -1 ? buf.length : goodBytes,
    tornTail,
    needsRepair: tornTail || unterminated,
  };
}

/** Cuts a torn last line off, so appends continue on a clean line boundary. */
export async function repairLog(path: string, read: LogRead<unknown>): Promise<void> {
  if (read.tornTail) await truncate(path, read.goodBytes);
  else if (read.goodBytes > 0) {
    // A last record without its newline (written by something else): give it one.
    const buf = await readFile(path);
    if (buf.length && buf[buf.length - 1] !== 0x0a) await appendDurably(path, ['']);
  }
}

/** Appends lines and waits until they are on disk (fsync). */
export async function appendDurably(path: string, lines: string[]): Promise<void> {
  const fh = await open(path, 'a', 0o600);
  try {
    await fh.appendFile(lines.map((l) => `${l}\n`).join(''), 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}
