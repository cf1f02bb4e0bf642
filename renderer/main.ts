// The companion window: the Svelte app on preload's bridge. The audio engine boots inside.
import { bootCompanion } from './companion/boot.svelte';

const root = document.getElementById('app')!;
if (!window.companion) {
  document.getElementById('status')!.textContent = 'No bridge: open this page inside Hark.';
} else {
  void bootCompanion(window.companion, root);
}
