// Builds the companion window's services around one session (history, usage and the spend cap, idle
// disconnect, the event log) and their handler map, so the app and the tests wire them the same way.
// main/app/services.ts calls this once and serves `handlers` through the IPC router.
import { join } from 'node:path';
import type { EventChannel, Events, Notice } from '../../preload/api';
import { HistoryRecorder } from '../history/history-recorder';
import type { HistorySettings } from '../../common/settings/history-settings';
import { HistoryStore } from '../history/history-store';
import type { RealtimeSession } from '../realtime/session';
import type { ApprovalQueue } from '../tools/approval-queue';
import { DailyLedger } from '../usage/daily-ledger';
import { UsageMeter } from '../usage/usage-meter';
import type { UsageSettings } from '../../common/settings/usage-settings';
import { EventLog } from './event-log';
import { IdleDisconnect } from './idle-disconnect';
import { linkWindowServices } from './window-handlers';
import { ConversationControl } from './conversation-control';
import { conversationSettingsSchema, type ConversationSettings } from '../../common/settings/model-settings';

export interface CompanionServicesOptions {
  session: RealtimeSession;
  /** The user-data folder: history/ and usage-days.json go there. */
  dir: string;
  history: () => HistorySettings;
  usage: () => UsageSettings;
  idleMinutes: () => number | null;
  model: () => string;
  /** The input transcription model (priced per minute), null when off. */
  transcriptionModel?: () => string | null;
  /** The context limit for the fullness view. */
  contextLimit?: () => number;
  conversation?: () => ConversationSettings;
  emit: <K extends EventChannel>(channel: K, payload: Events[K]) => void;
  approvals?: ApprovalQueue;
  saveExport?: (fileName: string, markdown: string) => Promise<string | null>;
  lookAtScreen?: (a: { windowTitle?: string }) => Promise<import('../../preload/api').LookResult>;
  screenWindows?: () => Promise<import('../../preload/api').ScreenWindowList>;
  /** History keeps a shared screen's thumbnail (Settings › Screen). */
  keepImages?: () => boolean;
  now?: () => number;
  /** Tests: how long a "minute" of idle time is. */
  minuteMs?: number;
}

export async function createCompanionServices(o: CompanionServicesOptions) {
  const notify = (n: Notice) => o.emit('notice', n);
  const ledger = new DailyLedger(o.dir, notify);
  await ledger.load();
  const history = new HistoryStore({ dir: join(o.dir, 'history'), onNotice: notify, ...(o.now ? { now: o.now } : {}) });
  await history.open(o.history().retentionDays);
  const meter = new UsageMeter({
    session: o.session,
    ledger,
    settings: o.usage,
    model: o.model,
    ...(o.transcriptionModel ? { transcriptionModel: o.transcriptionModel } : {}),
    ...(o.contextLimit ? { contextLimit: o.contextLimit } : {}),
    ...(o.now ? { now: o.now } : {}),
  });
  const recorder = new HistoryRecorder({ session: o.session, store: history, settings: o.history, model: o.model, usage: meter, ...(o.now ? { now: o.now } : {}), ...(o.keepImages ? { keepImages: o.keepImages } : {}) });
  const eventLog = new EventLog(o.session);
  const idle = new IdleDisconnect({ session: o.session, idleMinutes: o.idleMinutes, notify, ...(o.minuteMs ? { minuteMs: o.minuteMs } : {}) });
  meter.on('notice', notify);
  recorder.on('notice', notify);
  const connectChecked = (): Promise<void> => {
    const refusal = meter.connectRefusal();
    if (refusal) {
      notify({ level: 'warning', code: 'daily_cap', message: refusal });
      return Promise.resolve();
    }
    return o.session.connect().catch(() => {});
  };
  const defaults = conversationSettingsSchema.parse({});
  const conversations = new ConversationControl({ session: o.session, history, settings: o.conversation ?? (() => defaults), emit: o.emit, notify, connect: connectChecked });
  const link = linkWindowServices({ history, recorder, meter, eventLog, conversations, emit: o.emit, ...(o.approvals ? { approvals: o.approvals } : {}), ...(o.saveExport ? { saveExport: o.saveExport } : {}), ...(o.lookAtScreen ? { lookAtScreen: o.lookAtScreen } : {}), ...(o.screenWindows ? { screenWindows: o.screenWindows } : {}) });

  return {
    history,
    recorder,
    meter,
    ledger,
    eventLog,
    idle,
    handlers: link.handlers,
    /**
     * The talk action for the button, hotkey and tray: connects first when disconnected (after an
     * idle disconnect), unless the daily cap refuses.
     */
    async talk(): Promise<void> {
      const phase = o.session.state.phase;
      const refusal = phase === 'disconnected' || phase === 'error' ? meter.connectRefusal() : null;
      if (refusal) return notify({ level: 'warning', code: 'daily_cap', message: refusal });
      if (phase === 'disconnected') conversations.beforeTalk();
      await idle.talk();
    },
    conversations,
    /** Connect, unless the daily cap refuses; after an explicit disconnect the setting decides what is carried. */
    async connect(): Promise<void> {
      await conversations.connect();
    },
    /** The user's Disconnect: the next Connect asks (or follows the setting) what to carry. */
    disconnect(): void {
      conversations.disconnect();
    },
    async dispose(): Promise<void> {
      conversations.dispose();
      link.dispose();
      idle.dispose();
      eventLog.dispose();
      await recorder.dispose();
      meter.dispose();
      await ledger.flush();
    },
  };
}

export type CompanionServices = Awaited<ReturnType<typeof createCompanionServices>>;
