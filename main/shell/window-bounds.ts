// The companion window comes back where the user left it, at the size they chose. The bounds live in
// their own small file (not settings.json: they change on every drag, and are no setting anyone
// edits), written atomically and at most twice a second. A monitor that is gone is not trusted: a
// window placed mostly off every screen falls back to the default place.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';

const boundsSchema = z.strictObject({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(280).max(10_000),
  height: z.number().int().min(320).max(10_000),
});

export type Bounds = z.infer<typeof boundsSchema>;

export class WindowBoundsStore {
  private readonly file: string;
  private timer: NodeJS.Timeout | null = null;
  private pending: Bounds | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(dir: string, name = 'companion') {
    this.file = join(dir, `window-${name}.json`);
  }

  /** The saved bounds, or null when there are none or the file is unreadable (not worth a notice). */
  async load(): Promise<Bounds | null> {
    try {
      const r = boundsSchema.safeParse(JSON.parse(await readFile(this.file, 'utf8')));
      return r.success ? r.data : null;
    } catch {
      return null;
    }
  }

  /** Records bounds; the write follows shortly, so a drag does not write on every pixel. */
  save(bounds: Bounds): void {
    this.pending = bounds;
    this.timer ??= setTimeout(() => void this.flush(), 500);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const b = this.pending;
    this.pending = null;
    if (b) this.writing = this.writing.then(() => writeFileAtomic(this.file, JSON.stringify(b), { mode: 0o600 }).catch(() => {}));
    await this.writing;
  }
}

/** The bounds if at least a third of the window is on one of the screens' work areas, else null. */
export function onScreen(b: Bounds, workAreas: readonly Bounds[]): Bounds | null {
  for (const a of workAreas) {
    const w = Math.min(b.x + b.width, a.x + a.width) - Math.max(b.x, a.x);
    const h = Math.min(b.y + b.height, a.y + a.height) - Math.max(b.y, a.y);
    if (w > 0 && h > 0 && w * h >= (b.width * b.height) / 3) return b;
  }
  return null;
}
