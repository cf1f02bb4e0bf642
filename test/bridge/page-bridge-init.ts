// Injected before an app page's own scripts (Playwright init script, not subject to the page's
// CSP): the test bridge stands where preload's `window.companion` stands in the app, so the real,
// unmodified renderer/index.html and renderer/settings.html boot on it.
import { openBrowserApp } from '../bridge/browser-companion';

if (/\/renderer\/(index|settings)\.html$/.test(location.pathname)) {
  (window as unknown as { companion: unknown }).companion = openBrowserApp(`ws://${location.host}/bridge`);
}
