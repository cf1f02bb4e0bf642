// What the tools need from the desktop, as plain interfaces. The Electron shell fills them with thin
// adapters (main/shell/electron-tool-adapters.ts); tests fill them with fakes. Nothing here imports `electron`.
import type { ApprovalAnswer, ApprovalRequest } from '../../common/bridge-types';

/** A desktop notification. */
export interface Notifier {
  notify(n: { title: string; body: string }): void;
}

/** The system clipboard, text only (the shape of Electron's `clipboard`, which is async since Electron 45). */
export interface Clipboard {
  readText(): Promise<string> | string;
  writeText(text: string): Promise<void> | void;
}

/** Opens a URL in the user's default browser (Electron's `shell.openExternal`). */
export type OpenExternal = (url: string) => Promise<void>;

export interface BatteryState {
  /** 0–100, or null when unknown (desktops, or the platform does not say). */
  percent: number | null;
  charging: boolean | null;
  onBattery: boolean | null;
}

/** Null when the machine has no battery or the platform cannot tell. */
export type BatteryProvider = () => Promise<BatteryState | null>;

// The prompt and its answer cross to the window as they are, so they are declared once in common/.
export type { ApprovalAnswer, ApprovalRequest } from '../../common/bridge-types';

/**
 * Shows the approval prompt in the companion window. `signal` aborts when the approvals module stops
 * waiting (timeout), so the window can take the prompt down.
 */
export interface ApprovalPrompter {
  ask(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer>;
}
