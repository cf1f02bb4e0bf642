// The user's notes ("remember that…"): persisted, editable from settings, and summarised into the
// instructions at session start so the model knows them without a tool call.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { loadJsonList, saveJsonList } from './json-list-file';

export const noteSchema = z.object({
  id: z.string().min(1),
  text: z.string().min(1).max(2000),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Note = z.infer<typeof noteSchema>;

export interface NotesStoreOptions {
  dataDir: string;
  /** Told when the file was damaged and backed up. */
  onProblem?: (message: string) => void;
  now?: () => number;
}

export class NotesStore {
  readonly path: string;
  private notes: Note[];
  private readonly now: () => number;
  private readonly listeners = new Set<(notes: Note[]) => void>();

  constructor(opts: NotesStoreOptions) {
    this.path = join(opts.dataDir, 'notes.json');
    this.now = opts.now ?? Date.now;
    const loaded = loadJsonList(this.path, noteSchema, 'notes');
    this.notes = loaded.items;
    if (loaded.problem) opts.onProblem?.(loaded.problem);
  }

  list(): Note[] {
    return this.notes.map((n) => ({ ...n }));
  }

  add(text: string): Note {
    const t = this.now();
    const note = { id: randomUUID().slice(0, 8), text: text.trim(), createdAt: t, updatedAt: t };
    this.commit([...this.notes, note]);
    return { ...note };
  }

  update(id: string, text: string): Note | null {
    const found = this.notes.find((n) => n.id === id);
    if (!found) return null;
    const note = { ...found, text: text.trim(), updatedAt: this.now() };
    this.commit(this.notes.map((n) => (n.id === id ? note : n)));
    return { ...note };
  }

  remove(id: string): Note | null {
    const found = this.notes.find((n) => n.id === id);
    if (found) this.commit(this.notes.filter((n) => n.id !== id));
    return found ? { ...found } : null;
  }

  /** The settings editor saves the whole list at once. */
  replaceAll(notes: Array<Pick<Note, 'text'> & Partial<Note>>): Note[] {
    const t = this.now();
    this.commit(notes.filter((n) => n.text.trim()).map((n) => noteSchema.parse({ id: n.id ?? randomUUID().slice(0, 8), text: n.text.trim(), createdAt: n.createdAt ?? t, updatedAt: n.updatedAt ?? t })));
    return this.list();
  }

  /** Notes containing every word of the query (any order, any case); all notes for an empty query. */
  search(query = ''): Note[] {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return this.list().filter((n) => words.every((w) => n.text.toLowerCase().includes(w)));
  }

  onChange(listener: (notes: Note[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private commit(notes: Note[]): void {
    saveJsonList(this.path, notes);
    this.notes = notes;
    for (const l of this.listeners) l(this.list());
  }
}

/**
 * A short block for the end of the session instructions: the newest notes first, cut to `maxChars`,
 * saying how many were left out so the model knows to use recall_notes. Empty when there are none.
 */
export function notesInstructions(notes: Note[], maxChars = 1500): string {
  if (!notes.length) return '';
  const head = 'Notes the user asked you to remember (newest first; use recall_notes for more, forget_note to delete):';
  const lines: string[] = [];
  let used = head.length;
  const newest = [...notes].sort((a, b) => b.updatedAt - a.updatedAt);
  for (const n of newest) {
    const text = n.text.replace(/\s+/g, ' ');
    const line = `- ${text.length > 300 ? `${text.slice(0, 299)}…` : text}`;
    if (used + line.length + 1 > maxChars) break;
    lines.push(line);
    used += line.length + 1;
  }
  const left = newest.length - lines.length;
  return [head, ...lines, ...(left ? [`(${left} older notes not shown.)`] : [])].join('\n');
}
