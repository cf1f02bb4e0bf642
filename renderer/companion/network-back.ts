// When the browser says the network is back (`online`), an offline session (its reconnects gave
// up) connects again, once per event; main does the same on resume and unlock.
export function retryWhenOnline(
  target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>,
  state: () => { phase: string; error?: { code: string | null } },
  connect: () => void,
): () => void {
  const onOnline = () => {
    const s = state();
    if (s.phase === 'error' && s.error?.code === 'offline') connect();
  };
  target.addEventListener('online', onOnline);
  return () => target.removeEventListener('online', onOnline);
}
