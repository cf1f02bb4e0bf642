// Everything tools need, put together once for a host (the app, `talk`, tests): the registry with
// approvals, the built-ins with their stores, and the MCP servers.
import { Approvals, type ApprovalPolicies } from './approvals';
import type { ApprovalPrompter, BatteryProvider, Clipboard, Notifier, OpenExternal } from './host-ports';
import { McpManager, type McpManagerOptions } from './mcp/mcp-manager';
import { NotesStore, notesInstructions } from './notes-store';
import type { Clock } from '../clock';
import { ReminderScheduler, type FiredReminder } from './reminder-scheduler';
import { ToolRegistry } from './tool-registry';
import { clipboardTools } from './builtin/clipboard';
import { currentTimeTool } from './builtin/current-time';
import { notesTools } from './builtin/notes';
import { openLinkTool } from './builtin/open-link';
import { reminderTools } from './builtin/reminders';
import { systemInfoTool } from './builtin/system-info';

export interface ToolHostOptions {
  /** The user-data folder: notes.json and reminders.json live here. */
  dataDir: string;
  notifier: Notifier;
  clipboard: Clipboard;
  openExternal: OpenExternal;
  battery: BatteryProvider;
  prompter: ApprovalPrompter;
  approvalTimeoutMs?: number;
  policies?: ApprovalPolicies;
  timeZone?: string;
  clock?: Clock;
  /** A stored file was damaged and backed up; tell the user. Defaults to a notification. */
  onProblem?: (message: string) => void;
  onReminder?: (reminder: FiredReminder) => void;
  mcp?: Omit<McpManagerOptions, 'registry'>;
}

export interface ToolHost {
  registry: ToolRegistry;
  approvals: Approvals;
  notes: NotesStore;
  reminders: ReminderScheduler;
  mcp: McpManager;
  /** Appended to the session instructions at session start. */
  instructionsSuffix(): string;
  start(): void;
  stop(): Promise<void>;
}

export function createToolHost(o: ToolHostOptions): ToolHost {
  const timeZone = o.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const onProblem = o.onProblem ?? ((message: string) => o.notifier.notify({ title: 'Hark could not read a file', body: message }));
  const clock = o.clock;
  const now = clock ? () => clock.now() : Date.now;
  const approvals = new Approvals({ prompter: o.prompter, notifier: o.notifier, policies: o.policies, ...(o.approvalTimeoutMs ? { timeoutMs: o.approvalTimeoutMs } : {}) });
  const notes = new NotesStore({ dataDir: o.dataDir, onProblem, now });
  const reminders = new ReminderScheduler({ dataDir: o.dataDir, notifier: o.notifier, timeZone, onProblem, ...(clock ? { clock } : {}), ...(o.onReminder ? { onFire: o.onReminder } : {}) });
  const registry = new ToolRegistry(
    [
      currentTimeTool(timeZone, () => new Date(now())),
      ...reminderTools(reminders, now),
      ...notesTools(notes),
      ...clipboardTools(o.clipboard),
      openLinkTool(o.openExternal),
      systemInfoTool(o.battery, undefined, () => timeZone),
    ],
    { approvals },
  );
  const mcp = new McpManager({ ...o.mcp, registry });
  return {
    registry,
    approvals,
    notes,
    reminders,
    mcp,
    instructionsSuffix: () => notesInstructions(notes.list()),
    start: () => reminders.start(),
    async stop() {
      reminders.stop();
      await mcp.stop();
    },
  };
}
