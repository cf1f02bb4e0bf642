// Joins the per-feature handler maps (the session's, the companion window's, the tools', the shell's)
// into the one map the IPC router serves, and the tests' bridge too. The types ask for every channel
// of the table exactly once: a channel with no handler, or with two, does not compile.
import type { Handlers, RequestChannel } from '../../preload/api';

type Part = Partial<Handlers>;
type KeysOf<P extends Record<string, Part>> = { [N in keyof P]: keyof P[N] }[keyof P];
/** Channels that more than one part answers. */
type Twice<P extends Record<string, Part>> = { [N in keyof P]: keyof P[N] & { [M in Exclude<keyof P, N>]: keyof P[M] }[Exclude<keyof P, N>] }[keyof P];
type Checked<P extends Record<string, Part>> = [Twice<P>] extends [never]
  ? [Exclude<RequestChannel, KeysOf<P>>] extends [never]
    ? P
    : { 'channels without a handler': Exclude<RequestChannel, KeysOf<P>> }
  : { 'channels with two handlers': Twice<P> };

/** The one handler map, from its parts; at run time too, a channel answered twice is refused. */
export function joinHandlers<P extends Record<string, Part>>(parts: P & Checked<P>): Handlers {
  const joined: Record<string, unknown> = {};
  for (const [part, handlers] of Object.entries(parts as Record<string, Part>)) {
    for (const [channel, fn] of Object.entries(handlers)) {
      if (channel in joined) throw new Error(`${channel} has two handlers (the second in ${part})`);
      joined[channel] = fn;
    }
  }
  return joined as Handlers;
}
