// Remember, recall and forget: the model's side of the notes the user can also edit in settings.
import { z } from 'zod';
import { defineTool } from '../tool-registry';
import type { NotesStore } from '../notes-store';

export function notesTools(store: NotesStore) {
  return [
    defineTool({
      name: 'remember_note',
      description: 'Save a note the user wants you to remember across conversations (a fact, a preference, a to-do). Keep it short and self-contained.',
      parameters: z.object({ text: z.string().trim().min(1).max(2000).describe('The note, written so it makes sense on its own later') }),
      run: ({ text }) => ({ saved: store.add(text) }),
    }),
    defineTool({
      name: 'recall_notes',
      description: 'Find saved notes. Without a query, lists all of them.',
      parameters: z.object({ query: z.string().optional().describe('Words the note contains; omit to list all notes') }),
      run: ({ query }) => {
        const notes = store.search(query).map(({ id, text, updatedAt }) => ({ id, text, updated: new Date(updatedAt).toISOString() }));
        return { count: notes.length, notes };
      },
    }),
    defineTool({
      name: 'forget_note',
      description: 'Delete a saved note by its id (find the id with recall_notes first).',
      parameters: z.object({ id: z.string().min(1).describe('The id from recall_notes') }),
      run: ({ id }) => {
        const removed = store.remove(id);
        if (!removed) throw new Error(`there is no note with id "${id}"`);
        return { forgotten: removed.text };
      },
    }),
  ];
}
