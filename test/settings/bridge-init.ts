// Injected before the settings page's own scripts (Playwright init script, not subject to the page's
// CSP): the test bridge stands where preload's `window.companion` stands in the app, so the real,
// unmodified renderer/settings.html boots on it.
import { openBrowserApp } from '../bridge/browser-companion';

if (location.pathname.endsWith('/renderer/settings.html')) {
  (window as unknown as { companion: unknown }).companion = openBrowserApp(`ws://${location.host}/bridge`);
}
