// Electron's security checklist, the parts that are handlers: no navigation away from the app, no
// new windows, no <webview>, the microphone (and nothing else) for the app's own pages only, and
// openExternal only for allowed https links.
import { APP_ORIGIN } from './window';

export const EXTERNAL_HOSTS = ['platform.openai.com', 'help.openai.com', 'learn.microsoft.com'];

/**
 * Same origin, compared parsed, never by prefix: 'app://hark.evil' or 'app://x@hark' must not pass.
 * WHATWG URL reports a custom scheme's origin as "null", so it is rebuilt from the parts.
 */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return !u.username && !u.password && !u.port && `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

export function isAllowedExternal(url: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && !u.username && !u.password && hosts.includes(u.hostname);
  } catch {
    return false;
  }
}

interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', fn: (e: { preventDefault(): void; url?: string }, url?: string) => void): unknown;
  on(event: 'will-attach-webview', fn: (e: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(fn: (d: { url: string }) => { action: 'deny' }): void;
}

export interface HardeningDeps {
  onWebContentsCreated(fn: (contents: WebContentsLike) => void): void;
  openExternal(url: string): Promise<void> | void;
}

export function guardWebContents(contents: WebContentsLike, openExternal: (url: string) => unknown): void {
  const stay = (e: { preventDefault(): void; url?: string }, url?: string) => {
    if (!isAppUrl(url ?? e.url ?? '')) e.preventDefault();
  };
  contents.on('will-navigate', stay);
  contents.on('will-redirect', stay);
  contents.on('will-frame-navigate', stay);
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void openExternal(url);
    return { action: 'deny' };
  });
}

export function installNavigationGuards(deps: HardeningDeps): void {
  deps.onWebContentsCreated((c) => guardWebContents(c, deps.openExternal));
}

interface FrameLike {
  url: string;
}

/** session.setPermissionRequestHandler: the microphone, asked by an app page, and nothing else. */
export function permissionRequestHandler(
  wc: { getURL(): string } | null,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl?: string; mediaTypes?: Array<'audio' | 'video'>; requestingFrame?: FrameLike | null },
): void {
  const url = details.requestingFrame?.url ?? details.requestingUrl ?? wc?.getURL() ?? '';
  const media = details.mediaTypes ?? [];
  callback(permission === 'media' && media.length > 0 && media.every((m) => m === 'audio') && isAppUrl(url));
}

/** session.setPermissionCheckHandler: the same rule for the synchronous checks. */
export function permissionCheckHandler(
  _wc: unknown,
  permission: string,
  requestingOrigin: string,
  details: { mediaType?: 'audio' | 'video' | 'unknown'; securityOrigin?: string },
): boolean {
  // Device enumeration checks 'media' with an unknown type; video never.
  return permission === 'media' && details.mediaType !== 'video' && isAppUrl(requestingOrigin || details.securityOrigin || '');
}

/** macOS asks the user once; without it getUserMedia yields silence, not an error. */
export async function ensureMicrophoneAccess(deps: {
  platform: NodeJS.Platform;
  getMediaAccessStatus(type: 'microphone'): string;
  askForMediaAccess(type: 'microphone'): Promise<boolean>;
}): Promise<{ ok: boolean; message?: string }> {
  if (deps.platform !== 'darwin') return { ok: true };
  const status = deps.getMediaAccessStatus('microphone');
  if (status === 'granted') return { ok: true };
  if (status === 'not-determined' && (await deps.askForMediaAccess('microphone'))) return { ok: true };
  return { ok: false, message: 'macOS does not let Hark use the microphone. Allow it in System Settings → Privacy & Security → Microphone, then restart Hark.' };
}
