// The settings window's tools and notes calls, as part of the app's handler map (main/app/handlers.ts),
// plus the events they push: each MCP server's state as it changes, and the notes after any change
// (the model's remember_note as much as the editor's save).
import type { EventChannel, Events, Handlers, McpServerStatus, Note, NoteDraft, ToolInfo } from '../../preload/api';
import type { ToolHost } from '../tools/tool-host';

export interface ToolServices {
  tools: Pick<ToolHost, 'registry' | 'approvals' | 'notes' | 'mcp'>;
  emit: <K extends EventChannel>(channel: K, payload: Events[K]) => void;
}

const MCP_GROUP = /^mcp:(.*)$/s;

export function linkToolServices({ tools, emit }: ToolServices) {
  const statuses = (): McpServerStatus[] => tools.mcp.statuses();
  const onStatus = (s: McpServerStatus[]) => emit('tools:mcp-status', s);
  tools.mcp.on('status', onStatus);
  const offNotes = tools.notes.onChange((notes) => emit('notes:changed', notes));

  const listTools = (): ToolInfo[] =>
    tools.registry.entries().map(({ name, description, approval, group }) => {
      const server = MCP_GROUP.exec(group)?.[1];
      return {
        name,
        description,
        policy: tools.approvals.policyFor({ name, approval }),
        defaultPolicy: approval,
        ...(server === undefined ? { source: 'built-in' as const } : { source: 'mcp' as const, server }),
      };
    });

  const handlers = {
    'tools:list': listTools,
    'tools:mcp-status': statuses,
    'notes:list': () => tools.notes.list(),
    'notes:save': ({ notes }) => tools.notes.replaceAll(keepDates(tools.notes.list(), notes)),
  } satisfies Partial<Handlers>;

  return {
    handlers,
    dispose() {
      tools.mcp.off('status', onStatus);
      offNotes();
    },
  };
}

// A note the editor did not change keeps its dates; an edited one keeps its creation date and is
// stamped now; an id the store does not know is a new note.
function keepDates(current: Note[], drafts: NoteDraft[]): Array<Pick<Note, 'text'> & Partial<Note>> {
  const byId = new Map(current.map((n) => [n.id, n]));
  return drafts.map((d) => {
    const old = d.id ? byId.get(d.id) : undefined;
    if (!old) return { text: d.text };
    return old.text === d.text.trim() ? old : { id: old.id, text: d.text, createdAt: old.createdAt };
  });
}
