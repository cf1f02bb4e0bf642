// The real companion window on the test bridge instead of preload: same app, same strict CSP.
import { bootCompanion } from '../../renderer/companion/boot.svelte';
import { connectBrowserCompanion } from '../bridge/browser-companion';

const companion = await connectBrowserCompanion(`ws://${location.host}/bridge`);
(window as unknown as { companion: typeof companion }).companion = companion;
const booted = await bootCompanion(companion, document.getElementById('app')!);
(window as unknown as { harkApp: typeof booted }).harkApp = booted;
