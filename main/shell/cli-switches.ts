// Command-line switches that reach the running instance (through `second-instance`), so a desktop
// environment or compositor shortcut can drive Hark where global shortcuts cannot (Wayland).
export type CliCommand = 'toggle-talk' | 'ptt-down' | 'ptt-up' | 'cancel-talk' | 'show' | 'settings' | 'look-at-screen';

const SWITCHES: Record<string, CliCommand> = {
  '--toggle-talk': 'toggle-talk',
  '--ptt-down': 'ptt-down',
  '--ptt-up': 'ptt-up',
  '--cancel-talk': 'cancel-talk',
  '--show': 'show',
  '--settings': 'settings',
  // A desktop shortcut bound to `hark --look-at-screen` is the optional key for it.
  '--look-at-screen': 'look-at-screen',
};

/** The commands in argv, in order. Chromium adds its own switches to argv; those are ignored. */
export function parseCliSwitches(argv: readonly string[]): CliCommand[] {
  const out: CliCommand[] = [];
  for (const arg of argv) {
    const cmd = SWITCHES[arg.split('=')[0]!.toLowerCase()];
    if (cmd) out.push(cmd);
  }
  return out;
}

export interface CliTargets {
  toggleTalk(): void;
  pttDown(): void;
  pttUp(): void;
  cancelTalk(): void;
  showCompanion(): void;
  showSettings(): void;
  lookAtScreen?(): void;
}

/** Runs the switches of a second launch against the first instance. Returns what it ran. */
export function dispatchCli(argv: readonly string[], t: CliTargets): CliCommand[] {
  const cmds = parseCliSwitches(argv);
  for (const c of cmds) {
    if (c === 'toggle-talk') t.toggleTalk();
    else if (c === 'ptt-down') t.pttDown();
    else if (c === 'ptt-up') t.pttUp();
    else if (c === 'cancel-talk') t.cancelTalk();
    else if (c === 'show') t.showCompanion();
    else if (c === 'look-at-screen') t.lookAtScreen?.();
    else t.showSettings();
  }
  return cmds;
}
