// What the tray shows for a state: icon, tooltip and the whole menu. Pure data, so every state's
// menu is testable without Electron. Every action is in the menu because Linux AppIndicator
// delivers no clicks on the icon itself.
import type { SessionState, TurnDetectionMode } from '../../preload/api';
import { VOICES } from '../../common/settings/settings-schema';

export type TrayIcon = 'disconnected' | 'idle' | 'listening' | 'user-speaking' | 'thinking' | 'assistant-speaking' | 'muted' | 'error';

export type TrayAction =
  | { kind: 'talk' }
  | { kind: 'send' }
  | { kind: 'cancel-turn' }
  | { kind: 'interrupt' }
  | { kind: 'mode'; mode: TurnDetectionMode }
  | { kind: 'voice'; voice: string }
  | { kind: 'mute'; muted: boolean }
  | { kind: 'connect' }
  | { kind: 'disconnect' }
  | { kind: 'new-conversation' }
  | { kind: 'open-companion' }
  | { kind: 'open-settings' }
  | { kind: 'open-log-folder' }
  | { kind: 'quit' };

export interface MenuEntry {
  label?: string;
  type?: 'normal' | 'separator' | 'radio' | 'checkbox' | 'submenu';
  enabled?: boolean;
  checked?: boolean;
  action?: TrayAction;
  submenu?: MenuEntry[];
}

export interface TrayView {
  icon: TrayIcon;
  tooltip: string;
  menu: MenuEntry[];
}

export interface TrayInput {
  state: SessionState;
  voice: string;
  /** Shown in the tooltip, e.g. "Ctrl+Shift+Space". */
  hotkey: string | null;
}

const MODES: Array<{ mode: TurnDetectionMode; label: string }> = [
  { mode: 'server_vad', label: 'Server VAD' },
  { mode: 'semantic_vad', label: 'Semantic VAD' },
  { mode: 'local', label: 'Local VAD' },
  { mode: 'none', label: 'Push-to-talk' },
];

export function trayIcon(s: SessionState): TrayIcon {
  switch (s.phase) {
    case 'error':
      return 'error';
    case 'disconnected':
    case 'connecting':
    case 'reconnecting':
      return 'disconnected';
    default:
  }
  if (s.muted) return 'muted';
  switch (s.phase) {
    case 'user-speaking':
      return 'user-speaking';
    case 'thinking':
    case 'tool-running':
      return 'thinking';
    case 'assistant-speaking':
      return 'assistant-speaking';
    default:
      // Ready and waiting: with VAD the mic is live (listening); in push-to-talk it is closed (idle).
      return s.turnDetection === 'none' && !s.turnOpen ? 'idle' : 'listening';
  }
}

function describe(s: SessionState): string {
  switch (s.phase) {
    case 'disconnected':
      return 'Disconnected';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return s.reconnect ? `Reconnecting (attempt ${s.reconnect.attempt}, in ${Math.ceil(s.reconnect.inMs / 1000)} s)` : 'Reconnecting…';
    case 'error':
      return `Error: ${s.error?.message ?? 'unknown'}`;
    case 'user-speaking':
      return 'Listening to you';
    case 'thinking':
      return 'Thinking…';
    case 'tool-running':
      return 'Running a tool…';
    case 'assistant-speaking':
      return 'Speaking';
    case 'listening':
      return s.turnDetection === 'none' ? 'Ready: press the talk key' : 'Listening';
  }
}

export function trayView({ state: s, voice, hotkey }: TrayInput): TrayView {
  const ready = !['disconnected', 'connecting', 'reconnecting', 'error'].includes(s.phase);
  const ptt = s.turnDetection === 'none';
  const head = `Hark: ${describe(s)}${s.muted && ready ? ' (microphone muted)' : ''}`;
  const tooltip = hotkey && ready ? `${head}\nTalk key: ${hotkey}` : head;

  const talk: MenuEntry = s.turnOpen
    ? { label: 'Send', action: { kind: 'send' }, enabled: true }
    : { label: ptt ? 'Talk' : 'Talk (interrupts the reply)', action: { kind: 'talk' }, enabled: ready && (ptt || s.phase === 'assistant-speaking') && !s.muted };
  const menu: MenuEntry[] = [
    { label: describe(s), enabled: false },
    { type: 'separator' },
    talk,
    { label: 'Cancel turn', action: { kind: 'cancel-turn' }, enabled: s.turnOpen },
    { label: 'Stop the reply', action: { kind: 'interrupt' }, enabled: s.phase === 'assistant-speaking' },
    {
      label: 'Mode',
      type: 'submenu',
      submenu: MODES.map((m) => ({ label: m.label, type: 'radio', checked: s.turnDetection === m.mode, action: { kind: 'mode', mode: m.mode } })),
    },
    {
      label: 'Voice',
      type: 'submenu',
      submenu: VOICES.map((v) => ({ label: v, type: 'radio', checked: voice === v, action: { kind: 'voice', voice: v } })),
    },
    { label: 'Mute microphone', type: 'checkbox', checked: s.muted, action: { kind: 'mute', muted: !s.muted } },
    { label: 'New conversation', action: { kind: 'new-conversation' } },
    { type: 'separator' },
    ready || s.phase === 'connecting' || s.phase === 'reconnecting'
      ? { label: 'Disconnect', action: { kind: 'disconnect' } }
      : { label: s.phase === 'error' ? 'Reconnect' : 'Connect', action: { kind: 'connect' } },
    { label: 'Open Hark', action: { kind: 'open-companion' } },
    { label: 'Settings…', action: { kind: 'open-settings' } },
    // The log a user attaches to a bug report (main/app/app-log.ts).
    { label: 'Open log folder', action: { kind: 'open-log-folder' } },
    { type: 'separator' },
    { label: 'Quit Hark', action: { kind: 'quit' } },
  ];
  return { icon: trayIcon(s), tooltip, menu };
}
