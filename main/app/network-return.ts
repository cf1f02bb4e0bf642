// A session that went offline (reconnects gave up) connects again when the machine tells us the
// network may be back (resume, unlock, the window's `online` event) — one attempt per signal,
// never a loop of its own.
export interface OfflineAware {
  readonly state: { phase: string; error?: { code: string | null } };
  connect(): Promise<void>;
}

/** Returns the handler to call on each "network may be back" signal. */
export function retryWhenNetworkBack(session: OfflineAware): () => void {
  return () => {
    if (session.state.phase === 'error' && session.state.error?.code === 'offline') void session.connect().catch(() => {});
  };
}
