// The first-run guide's progress: which steps are done or skipped, kept in the window's storage
// (the companion and settings pages share the app:// origin, so settings can start it again and the
// companion hears it through the 'storage' event, with no IPC of its own).
export const STEPS = ['key', 'mic', 'speaker', 'talk-key', 'tip'] as const;
export type StepId = (typeof STEPS)[number];
export type Outcome = 'done' | 'skipped';

export const ONBOARDING_KEY = 'hark.onboarding';

interface Saved {
  done: boolean;
  steps: Partial<Record<StepId, Outcome>>;
}

function read(storage: Storage): Saved {
  try {
    const v = JSON.parse(storage.getItem(ONBOARDING_KEY) ?? 'null') as Saved | null;
    if (v && typeof v.done === 'boolean' && typeof v.steps === 'object') return v;
  } catch {
    // a damaged entry starts the guide again
  }
  return { done: false, steps: {} };
}

/** For the settings page: start the guide again from the first step. */
export function restartOnboarding(storage: Storage = localStorage): void {
  storage.setItem(ONBOARDING_KEY, JSON.stringify({ done: false, steps: {} } satisfies Saved));
}

export class OnboardingStore {
  visible = $state(false);
  step = $state<StepId>('key');
  outcomes = $state<Partial<Record<StepId, Outcome>>>({});

  constructor(private readonly storage: Storage = localStorage) {
    this.load();
    addEventListener('storage', (e) => {
      if (e.key === ONBOARDING_KEY) this.load();
    });
  }

  private load(): void {
    const saved = read(this.storage);
    this.outcomes = saved.steps;
    this.visible = !saved.done;
    this.step = STEPS.find((s) => !saved.steps[s]) ?? 'key';
  }

  private save(done: boolean): void {
    this.storage.setItem(ONBOARDING_KEY, JSON.stringify({ done, steps: $state.snapshot(this.outcomes) } satisfies Saved));
  }

  get index(): number {
    return STEPS.indexOf(this.step);
  }

  /** Ends this step (done or skipped) and moves to the next one not yet seen; when none is left the guide closes for good. */
  finish(outcome: Outcome): void {
    this.outcomes = { ...this.outcomes, [this.step]: outcome };
    const next = STEPS.slice(this.index + 1).find((s) => !this.outcomes[s]) ?? STEPS.find((s) => !this.outcomes[s]);
    if (next) {
      this.step = next;
      this.save(false);
    } else {
      this.visible = false;
      this.save(true);
    }
  }

  goTo(step: StepId): void {
    this.step = step;
  }

  /** Closes the guide, marking it done; settings can start it again. */
  close(): void {
    this.visible = false;
    this.save(true);
  }
}
