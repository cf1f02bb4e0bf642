// The companion window end to end: the built page (real Svelte app, test bridge instead of preload)
// in Debian Chromium, the Node session core with the window's services (history, usage, idle
// disconnect, event log, approvals) and the simulator, joined exactly as main joins them.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createCompanionServices, type CompanionServices, type CompanionServicesOptions } from '../../main/app/companion-services';
import { linkSessionToRenderer, RendererPlayback, type RendererLink } from '../../main/app/renderer-link';
import { historySettingsSchema } from '../../common/settings/history-settings';
import { RealtimeSession } from '../../main/realtime/session';
import { settingsSchema, type Settings, type SettingsInput } from '../../common/settings/settings-schema';
import { ApprovalQueue } from '../../main/tools/approval-queue';
import { Approvals } from '../../main/tools/approvals';
import { defineTool, ToolRegistry, type AnyTool } from '../../main/tools/tool-registry';
import { z } from 'zod';
import { usageSettingsSchema, type UsageSettings } from '../../common/settings/usage-settings';
import { appBridgeInitScript, startSession, waitFor, type Session } from '../chromium/harness';
import { writeWav, type Segment } from '../chromium/wav';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator/server';

/**
 * Screenshots of the main states: into docs/screenshots when asked (HARK_SCREENSHOTS=1, to refresh
 * the README's pictures), otherwise into a temp folder so a test run leaves the tree clean.
 */
export const SHOTS = process.env.HARK_SCREENSHOTS ? join(import.meta.dirname, '../../docs/screenshots') : mkdtempSync(join(tmpdir(), 'hark-shots-'));

/** A tool that asks first ('ask'): the window's approval prompt and tool card in the tests. */
export function clipboardTool() {
  return defineTool({
    name: 'write_clipboard',
    description: 'Puts text on the clipboard',
    parameters: z.object({ text: z.string() }),
    approval: 'ask',
    summarize: ({ text }: { text: string }) => `copy “${text}” to the clipboard`,
    run: ({ text }) => ({ copied: text.length }),
  });
}

export interface CompanionStack {
  sim: Simulator;
  session: RealtimeSession;
  services: CompanionServices;
  link: RendererLink;
  s: Session;
  page: Page;
  dir: string;
  /** Shell calls the page made (e.g. window:open-settings). */
  shellCalls: string[];
  settings: Settings;
  usage: UsageSettings;
  close(): Promise<void>;
}

export interface StackOptions {
  sim?: SimulatorOptions;
  settings?: SettingsInput;
  tools?: (approvals: Approvals) => AnyTool[];
  key?: string;
  idleMinutes?: number | null;
  minuteMs?: number;
  dailyCapUsd?: number | null;
  /** What the fake microphone hears (default: silence). */
  mic?: Segment[];
  /** Connect before the page opens (the app connects at start when a key is there). */
  connect?: boolean;
  dir?: string;
  backoff?: { baseMs: number; maxMs: number; stableMs: number };
  /** What the fake microphone hears (a WAV path); default 30 s of silence. */
  micWav?: string;
  /** The user refuses the microphone (Chromium denies the permission). */
  denyMic?: boolean;
  /** Show the first-run guide; by default it is marked done so the window tests see the window itself. */
  onboarding?: boolean;
  /** The look button and its window picker (main/screen over a fake capturer). */
  screen?: (approvals: Approvals, session: RealtimeSession) => Pick<CompanionServicesOptions, 'lookAtScreen' | 'screenWindows'>;
  /** Answers shell calls first (key, hotkey…); undefined falls through to the defaults below. */
  invoke?: (channel: string, payload: unknown) => unknown;
}

export async function startCompanionStack(o: StackOptions = {}): Promise<CompanionStack> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'hark-companion-'));
  mkdirSync(SHOTS, { recursive: true });
  const sim = await startSimulator({ paceFactor: 1, updateDelayMs: 1, transcriptionDelayMs: 20, ...o.sim });
  let settings = settingsSchema.parse({ ...o.settings, endpoint: { kind: 'custom', url: sim.url }, transcription: o.settings?.transcription ?? { enabled: false } });
  const usage = usageSettingsSchema.parse({ dailyCapUsd: o.dailyCapUsd ?? null });
  const history = historySettingsSchema.parse({});
  let s: Session | null = null;
  const emit = ((channel: never, payload: never) => s?.bridge.emit(channel, payload)) as ConstructorParameters<typeof RendererPlayback>[0];
  const playback = new RendererPlayback(emit);
  const queue = new ApprovalQueue();
  const approvals = new Approvals({ prompter: queue, timeoutMs: 60_000 });
  const session = new RealtimeSession({
    settings,
    apiKey: o.key ?? 'sk-test',
    tools: new ToolRegistry(o.tools?.(approvals) ?? [], { approvals }),
    playback,
    backoff: o.backoff ?? { baseMs: 50, maxMs: 200, stableMs: 5_000 },
  });
  const services = await createCompanionServices({
    session,
    dir,
    history: () => history,
    usage: () => usage,
    idleMinutes: () => o.idleMinutes ?? null,
    model: () => settings.model,
    transcriptionModel: () => (settings.transcription.enabled ? settings.transcription.model : null),
    contextLimit: () => 32_000,
    conversation: () => settings.conversation,
    emit,
    approvals: queue,
    ...(o.minuteMs ? { minuteMs: o.minuteMs } : {}),
    ...o.screen?.(approvals, session),
  });
  // As main joins them: the session's handlers with the companion's connect, talk and disconnect.
  const link = linkSessionToRenderer(session, playback, emit, undefined, services);
  if (o.connect !== false) await services.connect();
  const shellCalls: string[] = [];
  // The channels main's shell serves (settings, key, windows) are stood in for below.
  const onInvoke = (channel: string, payload: unknown): unknown => {
    shellCalls.push(channel);
    const answered = o.invoke?.(channel, payload);
    if (answered !== undefined) return answered;
    if (channel === 'settings:get') return settings;
    if (channel === 'settings:update') {
      const patch = payload as { model?: string; turnDetection?: { mode?: Settings['turnDetection']['mode'] }; transcription?: Partial<Settings['transcription']> };
      settings = settingsSchema.parse({
        ...settings,
        ...(patch.model ? { model: patch.model } : {}),
        turnDetection: { ...settings.turnDetection, ...patch.turnDetection },
        transcription: { ...settings.transcription, ...patch.transcription },
      });
      session.applySettings(settings);
      s?.bridge.emit('settings:changed', settings);
      return { ok: true, settings, notices: [] };
    }
    return undefined;
  };
  // The fake microphone hears silence: these tests talk by typing and by the talk button.
  const wav = o.micWav ?? `${writeWav(join(dir, 'mic.wav'), o.mic ?? [{ ms: 30_000, silence: true }])}`;
  s = await startSession(wav, { handlers: { ...link.handlers, ...services.handlers }, onInvoke }, { denyMic: o.denyMic });
  const page = s.page;
  await page.setViewportSize({ width: 480, height: 760 });
  // The real companion page, with the test bridge where preload's would be.
  await s.context.addInitScript({ content: await appBridgeInitScript() });
  if (!o.onboarding) await s.context.addInitScript({ content: `localStorage.setItem('hark.onboarding', JSON.stringify({ done: true, steps: {} }))` });
  await s.open({}, 'renderer/index.html');
  await s.bridge.connected();
  link.resync();
  const bootedWith = (status: string) => (o.denyMic ? status !== 'Starting audio…' : status === 'Audio ready.');
  await waitFor(async () => bootedWith((await page.textContent('#status')) ?? ''), 15_000, 'the companion page to boot');
  const stack: CompanionStack = {
    sim,
    session,
    services,
    link,
    s,
    page,
    dir,
    shellCalls,
    get settings() {
      return settings;
    },
    usage,
    async close() {
      session.disconnect();
      await services.dispose();
      link.dispose();
      await s?.close();
      await sim.close();
    },
  };
  return stack;
}
