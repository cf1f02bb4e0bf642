// The companion window's calls beyond the session's (history, usage, approvals, event log), as a
// part of the app's handler map (main/app/handlers.ts joins the parts), plus the events those services
// push to the window. main's IPC router and the tests' bridge serve the same map.
import type { EventChannel, Events, Handlers, HistoryExport, LookResult, ScreenWindowList } from '../../preload/api';
import { exportFileName, toMarkdown } from '../history/markdown-export';
import type { HistoryRecorder } from '../history/history-recorder';
import type { HistoryStore } from '../history/history-store';
import type { ApprovalQueue } from '../tools/approval-queue';
import type { UsageMeter } from '../usage/usage-meter';
import type { EventLog } from './event-log';
import type { ConversationControl } from './conversation-control';

export interface WindowServices {
  history: HistoryStore;
  recorder?: HistoryRecorder;
  meter: UsageMeter;
  approvals?: ApprovalQueue;
  eventLog: EventLog;
  conversations?: ConversationControl;
  emit: <K extends EventChannel>(channel: K, payload: Events[K]) => void;
  /** Offers a save dialog and writes the file; resolves with its path, or null if cancelled. */
  saveExport?: (fileName: string, markdown: string) => Promise<string | null>;
  /** The "Look at my screen" button (main/screen); asked late, as it is built after these services. */
  lookAtScreen?: (a: { windowTitle?: string }) => Promise<LookResult>;
  /** The windows its picker offers. */
  screenWindows?: () => Promise<ScreenWindowList>;
}

function need<T>(v: T | undefined): T {
  if (!v) throw new Error('Conversations cannot be started over here.');
  return v;
}

export function linkWindowServices(s: WindowServices) {
  const onSummary = (u: Events['usage:summary']) => s.emit('usage:summary', u);
  const onSaved = ({ id }: { id: string }) => s.emit('history:changed', { id });
  const onRequest = (r: Events['approval:request']) => s.emit('approval:request', r);
  const onSettled = (r: Events['approval:settled']) => s.emit('approval:settled', r);
  s.meter.on('summary', onSummary);
  s.recorder?.on('saved', onSaved);
  s.approvals?.on('request', onRequest);
  s.approvals?.on('settled', onSettled);

  const handlers = {
    'history:list': (req) => s.history.list(req?.query),
    'history:get': ({ id }) => s.history.get(id),
    'history:export': async ({ id }): Promise<HistoryExport> => {
      const c = await s.history.get(id);
      if (!c) throw new Error('That conversation no longer exists.');
      const fileName = exportFileName(c.summary);
      const markdown = toMarkdown(c.summary, c.items);
      const savedTo = s.saveExport ? await s.saveExport(fileName, markdown) : null;
      return { fileName, markdown, savedTo };
    },
    'history:delete': async ({ id }) => {
      const ok = await s.history.delete(id);
      if (ok) s.emit('history:changed', { id });
      return ok;
    },
    'history:delete-all': async () => {
      const n = await s.history.deleteAll();
      s.emit('history:changed', { id: null });
      return n;
    },
    'usage:get': () => s.meter.summary(),
    'approval:pending': () => s.approvals?.pending() ?? [],
    'approval:answer': ({ id, answer }) => s.approvals?.answer(id, answer) ?? false,
    'eventlog:watch': ({ on }) => {
      s.eventLog.watch(on ? (e) => s.emit('eventlog:entry', e) : null);
      return on ? s.eventLog.entries() : [];
    },
    'conversation:connect': async ({ choice }) => void (await need(s.conversations).connect(choice)),
    'conversation:new': () => need(s.conversations).newConversation(),
    'conversation:forget': ({ id }) => need(s.conversations).forget(id),
    'history:resume': ({ id }) => need(s.conversations).resume(id),
    'screen:look': (req) => s.lookAtScreen?.(req ?? {}) ?? { sent: false, message: 'Looking at the screen is not available here.' },
    'screen:windows': () => s.screenWindows?.() ?? { windows: [], message: 'Looking at the screen is not available here.' },
  } satisfies Partial<Handlers>;

  return {
    handlers,
    dispose() {
      s.meter.off('summary', onSummary);
      s.recorder?.off('saved', onSaved);
      s.approvals?.off('request', onRequest);
      s.approvals?.off('settled', onSettled);
      s.eventLog.watch(null);
    },
  };
}
