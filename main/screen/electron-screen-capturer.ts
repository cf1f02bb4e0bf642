// The real ScreenCapturer: Electron's desktopCapturer in main. It asks for the sources at the size
// wanted (thumbnailSize scales the picture, keeping its aspect ratio), so no full-resolution
// bitmap crosses into JavaScript; Hark's own windows are left out by their media source ids. On
// macOS a refused Screen Recording permission shows as the status, or as empty pictures.
import type { CaptureRequest, Capture, ScreenCapturer, ScreenPermission } from './screen-capturer';
import { CaptureRefused, PERMISSION_MESSAGE } from './screen-capturer';

interface NativeImageLike {
  isEmpty(): boolean;
  toPNG(): Uint8Array;
  getSize(): { width: number; height: number };
}

interface SourceLike {
  id: string;
  name: string;
  display_id: string;
  thumbnail: NativeImageLike;
}

export interface ElectronCaptureDeps {
  platform: NodeJS.Platform;
  getSources(o: { types: Array<'screen' | 'window'>; thumbnailSize: { width: number; height: number } }): Promise<SourceLike[]>;
  getMediaAccessStatus?(media: 'screen'): string;
  /** The media source ids of Hark's own windows (BrowserWindow.getMediaSourceId()). */
  ownSourceIds(): string[];
  /** The display under the cursor, so "my screen" is the one the user is looking at. */
  cursorDisplayId(): string | null;
  /**
   * Runs `fn` with Hark's visible windows hidden: a screen capture cannot leave windows out, so
   * they step aside for the moment it takes, and come back.
   */
  whileHidden<T>(fn: () => Promise<T>): Promise<T>;
}

export function electronScreenCapturer(d: ElectronCaptureDeps): ScreenCapturer {
  const permission = (): ScreenPermission => {
    if (d.platform !== 'darwin' || !d.getMediaAccessStatus) return 'granted';
    const s = d.getMediaAccessStatus('screen');
    return s === 'granted' || s === 'denied' || s === 'restricted' || s === 'not-determined' ? s : 'unknown';
  };
  // A 0 × 0 thumbnail when only the titles are wanted: no window is painted for the list.
  const windows = async (size: number): Promise<SourceLike[]> => {
    const own = new Set(d.ownSourceIds());
    const all = await d.getSources({ types: ['window'], thumbnailSize: { width: size, height: size } });
    return all.filter((s) => !own.has(s.id) && s.name.trim() !== '');
  };
  return {
    permission,
    listWindows: async () => (await windows(0)).map((s) => ({ title: s.name })),
    async capture(r: CaptureRequest): Promise<Capture> {
      const size = { width: r.maxSide, height: r.maxSide };
      let source: SourceLike | undefined;
      if (r.windowTitle) {
        const want = r.windowTitle.toLowerCase();
        const open = await windows(r.maxSide);
        // A title picked from the list is exact; the model's may be a part of one.
        source = open.find((s) => s.name.toLowerCase() === want) ?? open.find((s) => s.name.toLowerCase().includes(want));
        if (!source) throw new CaptureRefused(`No window titled "${r.windowTitle}" is open (Hark's own windows are never captured).`, 'no-window');
      } else {
        const screens = await d.whileHidden(() => d.getSources({ types: ['screen'], thumbnailSize: size }));
        const cursor = d.cursorDisplayId();
        source = screens.find((s) => s.display_id === cursor) ?? screens[0];
        if (!source) throw new CaptureRefused('No screen could be captured.', 'failed');
      }
      // macOS without the permission hands out empty pictures rather than an error.
      if (source.thumbnail.isEmpty()) throw new CaptureRefused(permission() === 'granted' ? 'The capture came back empty.' : PERMISSION_MESSAGE, permission() === 'granted' ? 'empty' : 'permission');
      return { png: source.thumbnail.toPNG(), source: r.windowTitle ? source.name : 'screen' };
    },
  };
}
