import type { CompanionApi } from '../preload/api';

declare global {
  interface Window {
    /** Exposed by preload (contextBridge) in the app, or by the test bridge in Chromium tests. */
    companion?: CompanionApi;
  }
}
export {};
