// Settings on disk: one JSON file in userData, validated by the schema, migrated forward by
// version, written atomically (write-file-atomic: temp file, fsync, rename). A file that cannot be
// read is kept as a backup and replaced by defaults, and the user is told.
import { EventEmitter } from 'node:events';
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Notice, SettingsPatch, SettingsUpdate } from '../../preload/api';
import { defaultSettings, SETTINGS_VERSION, settingsSchema, type Settings } from '../../common/settings/settings-schema';
import { migrateModelsTo3 } from '../realtime/model-migration';

type Raw = Record<string, unknown>;
/** Each step takes a file of version `from` to `from + 1`. */
export type Migrations = Record<number, (raw: Raw) => Raw>;

export const MIGRATIONS: Migrations = {
  // v1 knew only the session; v2 added the shell's sections, which their defaults fill in. The
  // old push-to-talk-only hotkey field (never shipped in a release) becomes the new section.
  1: (raw) => {
    const { pttHotkey, ...rest } = raw;
    return typeof pttHotkey === 'string' ? { ...rest, hotkey: { talk: pttHotkey } } : rest;
  },
  2: migrateModelsTo3,
};

export interface SettingsStoreOptions {
  dir: string;
  migrations?: Migrations;
  version?: number;
  now?: () => Date;
}

export interface SettingsStoreEvents {
  /** The new settings, the old, and the top-level sections that differ (empty for a save that changed nothing). */
  change: [Settings, Settings, ReadonlySet<keyof Settings>];
  notice: [Notice];
}

export const SETTINGS_FILE = 'settings.json';

export class SettingsStore extends EventEmitter<SettingsStoreEvents> {
  private current: Settings = defaultSettings();
  private writing: Promise<void> = Promise.resolve();
  /** Notices from loading, kept for whoever subscribes after start-up (the first window). */
  readonly startupNotices: Notice[] = [];
  readonly path: string;

  constructor(private readonly opts: SettingsStoreOptions) {
    super();
    this.path = join(opts.dir, SETTINGS_FILE);
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  async load(): Promise<Settings> {
    const version = this.opts.version ?? SETTINGS_VERSION;
    await this.removeOrphanTempFiles();
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      this.current = defaultSettings();
      return this.get();
    }
    const parsed = this.migrate(text, version);
    if (parsed.ok) {
      this.current = parsed.settings;
      if (parsed.defaulted.length) {
        // Only the bad fields go; the file as it was is kept beside it.
        const backup = `settings.corrupt-${this.stamp()}.json`;
        await rename(this.path, join(this.opts.dir, backup));
        await this.write(this.current);
        this.say('warning', `Some settings were not valid and are back to their defaults: ${parsed.defaulted.join('; ')}. Every other setting was kept; the file as it was is saved as ${backup}.`, 'settings_partly_reset');
      } else if (parsed.migrated) await this.write(this.current);
      return this.get();
    }
    const backup = `settings.corrupt-${this.stamp()}.json`;
    await rename(this.path, join(this.opts.dir, backup));
    this.current = defaultSettings();
    await this.write(this.current);
    this.say('warning', `Your settings file could not be read (${parsed.reason}). It was kept as ${backup} and Hark started with default settings.`, 'settings_reset');
    return this.get();
  }

  /** Merges, validates and stores; nothing changes unless the whole result is valid. */
  async update(patch: SettingsPatch): Promise<SettingsUpdate> {
    const merged = deepMerge(this.current as unknown as Raw, patch as Raw);
    const r = settingsSchema.safeParse({ ...merged, version: this.opts.version ?? SETTINGS_VERSION });
    if (!r.success) return { ok: false, errors: r.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`) };
    const prev = this.current;
    this.current = r.data;
    await this.write(r.data);
    const changed = new Set((Object.keys(r.data) as Array<keyof Settings>).filter((k) => !same(r.data[k], prev[k])));
    this.emit('change', this.get(), prev, changed);
    return { ok: true, settings: this.get(), notices: [] };
  }

  /**
   * Calls `fn` when the part of the settings that `select` picks out changes (compared by value):
   * each owner watches its own slice, and the change is found once, here.
   */
  watch<T>(select: (s: Settings) => T, fn: (slice: T, all: Settings) => void): () => void {
    const listener = (next: Settings, prev: Settings) => {
      const slice = select(next);
      if (!same(slice, select(prev))) fn(slice, next);
    };
    this.on('change', listener);
    return () => void this.off('change', listener);
  }

  /**
   * write-file-atomic writes `settings.json.<hash>` and renames it; a write killed before the rename
   * leaves that temp file behind forever. At start no write is running, so any of them is an orphan.
   */
  private async removeOrphanTempFiles(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.opts.dir);
    } catch {
      return;
    }
    const orphan = new RegExp(`^${SETTINGS_FILE.replace('.', '\\.')}\\.[0-9a-f]+$`, 'i');
    await Promise.all(names.filter((n) => orphan.test(n)).map((n) => rm(join(this.opts.dir, n), { force: true })));
  }

  private migrate(text: string, version: number): { ok: true; settings: Settings; migrated: boolean; defaulted: string[] } | { ok: false; reason: string } {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'it is not valid JSON' };
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, reason: 'it does not hold settings' };
    let obj = raw as Raw;
    let from = typeof obj.version === 'number' ? obj.version : 1;
    if (!Number.isInteger(from) || from < 1) return { ok: false, reason: `its version ${String(obj.version)} is unknown` };
    if (from > version) return { ok: false, reason: `it was written by a newer Hark (settings version ${from})` };
    const migrated = from !== version;
    const steps = this.opts.migrations ?? MIGRATIONS;
    while (from < version) {
      const step = steps[from];
      if (!step) return { ok: false, reason: `no way to upgrade settings version ${from}` };
      obj = { ...step(obj), version: from + 1 };
      from++;
    }
    const salvaged = salvage(obj);
    if (!salvaged.ok) return { ok: false, reason: salvaged.reason };
    return { ok: true, settings: salvaged.settings, migrated, defaulted: salvaged.defaulted };
  }

  private write(s: Settings): Promise<void> {
    // One write at a time, in order: the last update is the one on disk.
    const next = this.writing.then(() => writeFileAtomic(this.path, `${JSON.stringify(s, null, 2)}\n`, { mode: 0o600 }));
    this.writing = next.catch(() => {});
    return next;
  }

  private say(level: Notice['level'], message: string, code: string): void {
    const n: Notice = { level, message, code };
    this.startupNotices.push(n);
    this.emit('notice', n);
  }

  private stamp(): string {
    return (this.opts.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
  }
}

/**
 * Validates, dropping each field the schema refuses so that its default takes its place, until the
 * rest validates: one bad field costs that field, never the others.
 */
function salvage(raw: Raw): { ok: true; settings: Settings; defaulted: string[] } | { ok: false; reason: string } {
  const obj = structuredClone(raw);
  const defaulted: string[] = [];
  for (let round = 0; round < 50; round++) {
    const r = settingsSchema.safeParse(obj);
    if (r.success) return { ok: true, settings: r.data, defaulted };
    const issue = r.error.issues[0]!;
    const path = issue.path.map(String);
    if (!path.length || path[0] === 'version') return { ok: false, reason: `${path.join('.') || 'settings'}: ${issue.message}` };
    defaulted.push(`${path.join('.')} (${issue.message})`);
    dropPath(obj, path);
  }
  return { ok: false, reason: 'too many settings are invalid' };
}

/** Removes the value at `path`, or the nearest ancestor that is not an object. */
function dropPath(obj: Raw, path: string[]): void {
  let at: Raw = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const next = at[path[i]!];
    if (!isPlain(next)) {
      delete at[path[i]!];
      return;
    }
    at = next;
  }
  if (Array.isArray(at)) at.splice(Number(path.at(-1)), 1);
  else delete at[path.at(-1)!];
}

/** Objects merge field by field; arrays, null and scalars replace. */
export function deepMerge(base: Raw, patch: Raw): Raw {
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    const b = out[k];
    out[k] = isPlain(v) && isPlain(b) ? deepMerge(b, v) : v;
  }
  return out;
}

function isPlain(v: unknown): v is Raw {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Settings are plain JSON data, so equal text is equal value. */
function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
