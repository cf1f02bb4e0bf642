// "Look at my screen": one path for the model's look_at_screen tool, the user's action (tray,
// window button, key) and the periodic mode. Each look: the policy (the tool's, "ask" by default),
// the Screen Recording permission, the capture with its indicator shown, the image scaled and
// encoded, the user's consent with a thumbnail of exactly what would be sent, then one user
// message with the image. Nothing is captured while no conversation is connected, and nothing is
// sent without a yes, unless the user set the tool to "always allow" or turned the periodic mode on.
import { EventEmitter } from 'node:events';
import type { ItemImage, ScreenWindow } from '../../preload/api';
import type { UserImage } from '../realtime/session';
import type { Approvals, Verdict } from '../tools/approvals';
import { CaptureRefused, PERMISSION_MESSAGE, type ScreenCapturer } from './screen-capturer';
import { prepareScreenImage, type ScreenImage } from './screen-image';
import type { ScreenSettings } from '../../common/settings/screen-settings';

export const LOOK_TOOL_NAME = 'look_at_screen';

/** How the approvals module sees a look (its policy is the tool's, set in the tools settings). */
export const LOOK_GATE = { name: LOOK_TOOL_NAME, approval: 'ask' as const, summarize: (a: { windowTitle?: string }) => (a?.windowTitle ? `Send a picture of the window "${a.windowTitle}"` : 'Send a picture of your screen') };

export interface LookSession {
  readonly isReady: boolean;
  sendImage(image: UserImage, text: string | null, respond: boolean): boolean;
}

export interface ScreenLookOptions {
  capturer: ScreenCapturer;
  approvals: Approvals;
  session: LookSession;
  settings: () => ScreenSettings;
}

export type LookOrigin = 'tool' | 'user' | 'periodic';

export type LookOutcome =
  | { sent: true; image: ScreenImage & { source: string } }
  | { sent: false; reason: 'not-connected' | 'policy' | 'declined' | 'timeout' | 'unavailable' | 'permission' | 'no-window' | 'empty' | 'failed'; message: string };

export interface ScreenLookEvents {
  /** The indicator: a capture is being taken, or the periodic mode runs. */
  capture: [{ active: boolean; periodic: boolean }];
  /** A refused permission: the shell says where to allow it. */
  permission: [{ message: string }];
}

export class ScreenLook extends EventEmitter<ScreenLookEvents> {
  private capturing = 0;
  private periodicTimer: NodeJS.Timeout | null = null;
  private periodicBusy = false;

  constructor(private readonly o: ScreenLookOptions) {
    super();
  }

  /** How long the consent prompt waits: the tool's run must outlast it. */
  get approvalTimeoutMs(): number {
    return this.o.approvals.timeoutMs;
  }

  get periodic(): boolean {
    return this.periodicTimer !== null;
  }

  /** `callId`: the model's function call, when the tool asks (the window ties the prompt to its card). */
  async look(origin: LookOrigin, args: { windowTitle?: string } = {}, callId = ''): Promise<LookOutcome> {
    if (!this.o.session.isReady) return { sent: false, reason: 'not-connected', message: 'Not connected: nothing was captured. Connect first, then ask again.' };
    const policy = this.o.approvals.policyFor(LOOK_GATE);
    if (policy === 'deny') return { sent: false, reason: 'policy', message: `The user has blocked ${LOOK_TOOL_NAME} in Hark's settings, so the screen was not captured.` };
    const permission = this.o.capturer.permission();
    if (permission === 'denied' || permission === 'restricted') return this.refusedPermission();

    const s = this.o.settings();
    let image: ScreenImage & { source: string };
    this.indicator(+1);
    try {
      const shot = await this.o.capturer.capture({ maxSide: s.maxSide, ...(args.windowTitle ? { windowTitle: args.windowTitle } : {}) });
      image = { ...prepareScreenImage(shot.png, { maxSide: s.maxSide, detail: s.detail }), source: shot.source };
    } catch (err) {
      if (err instanceof CaptureRefused) return err.reason === 'permission' ? this.refusedPermission() : { sent: false, reason: err.reason, message: err.message };
      return { sent: false, reason: 'failed', message: `The screen could not be captured: ${(err as Error).message}` };
    } finally {
      this.indicator(-1);
    }

    // Consent with the picture itself: what the prompt shows is exactly what is sent. The periodic
    // mode was consented to when the user turned it on.
    if (origin !== 'periodic' && policy === 'ask') {
      const verdict: Verdict = await this.o.approvals.check(LOOK_GATE, args, callId, { preview: image.thumbnail });
      if (!verdict.allowed) return { sent: false, reason: verdict.reason, message: verdict.message.replace(`run ${LOOK_TOOL_NAME}`, 'share the screen').replace(`, so it did not run`, ', so nothing was sent') };
    }
    if (!this.o.session.isReady) return { sent: false, reason: 'not-connected', message: 'The connection dropped before the picture could be sent; nothing was sent.' };
    const shown: ItemImage = { thumbnail: image.thumbnail, width: image.width, height: image.height, bytes: image.bytes, tokens: image.tokens, source: image.source };
    // The tool's own output follows the image and brings the reply; the user's action asks for it.
    const text = origin === 'user' ? 'Look at my screen.' : origin === 'periodic' ? '(My screen now, for context. No need to answer.)' : null;
    const sent = this.o.session.sendImage({ ...shown, dataUri: image.dataUri, detail: image.detail }, text, origin === 'user');
    if (!sent) return { sent: false, reason: 'not-connected', message: 'Not connected: the picture was not sent.' };
    return { sent: true, image };
  }

  /**
   * The windows the user can pick from. Listing shows nothing of them, so it needs no consent; a
   * refused permission is said here too, as the list would only come back empty.
   */
  async windows(): Promise<ScreenWindow[]> {
    const permission = this.o.capturer.permission();
    if (permission === 'denied' || permission === 'restricted') {
      this.refusedPermission();
      throw new CaptureRefused(PERMISSION_MESSAGE, 'permission');
    }
    return this.o.capturer.listWindows();
  }

  /** Follows the setting: on while connected (the caller says when), off otherwise. */
  setPeriodic(on: boolean): void {
    const seconds = this.o.settings().periodicSeconds;
    const want = on && seconds !== null;
    if (want === this.periodic) return;
    if (this.periodicTimer) clearInterval(this.periodicTimer);
    this.periodicTimer = null;
    if (want) {
      this.periodicTimer = setInterval(() => void this.tick(), seconds * 1000);
      this.periodicTimer.unref();
    }
    this.emit('capture', { active: this.capturing > 0, periodic: this.periodic });
  }

  dispose(): void {
    this.setPeriodic(false);
  }

  private async tick(): Promise<void> {
    // One at a time: a slow capture never piles up behind itself.
    if (this.periodicBusy) return;
    this.periodicBusy = true;
    try {
      await this.look('periodic');
    } finally {
      this.periodicBusy = false;
    }
  }

  private refusedPermission(): LookOutcome {
    this.emit('permission', { message: PERMISSION_MESSAGE });
    return { sent: false, reason: 'permission', message: PERMISSION_MESSAGE };
  }

  private indicator(delta: number): void {
    this.capturing += delta;
    this.emit('capture', { active: this.capturing > 0, periodic: this.periodic });
  }
}
