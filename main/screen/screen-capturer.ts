// The port "look at my screen" captures through: the app fills it with Electron's desktopCapturer
// (electron-screen-capturer.ts), the tests with a fake that hands over real PNG screenshots. It
// answers with a PNG, so the one image pipeline (screen-image.ts) does the rest in both.
import type { ScreenWindow } from '../../common/bridge-types';

/** macOS Screen Recording permission, as systemPreferences.getMediaAccessStatus('screen') says; elsewhere 'granted'. */
export type ScreenPermission = 'granted' | 'denied' | 'restricted' | 'not-determined' | 'unknown';

export interface CaptureRequest {
  /** Long side wanted, px: the capturer may deliver this size directly (desktopCapturer's thumbnailSize). */
  maxSide: number;
  /** A window by (part of) its title; absent = the screen. Hark's own windows are never offered. */
  windowTitle?: string;
}

export interface Capture {
  png: Uint8Array;
  /** 'screen', or the title of the window captured. */
  source: string;
}

export interface ScreenCapturer {
  permission(): ScreenPermission;
  capture(r: CaptureRequest): Promise<Capture>;
  /** The windows that could be captured (not Hark's own): the window's picker lists them. */
  listWindows(): Promise<ScreenWindow[]>;
}

/** The capture cannot happen: a refused permission, no such window, an empty picture. Said to the user and the model. */
export class CaptureRefused extends Error {
  constructor(
    message: string,
    readonly reason: 'permission' | 'no-window' | 'empty' | 'failed',
  ) {
    super(message);
  }
}

/** Where a user allows it on macOS: opened from the notice, never a web link. */
export const MAC_SCREEN_SETTINGS = 'x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture';

export const PERMISSION_MESSAGE =
  'Hark is not allowed to record the screen. Allow it in System Settings › Privacy & Security › Screen & System Audio Recording (turn Hark on), then quit and reopen Hark. Everything else works without it.';
