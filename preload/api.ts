// The contract as main, preload, the renderer and the tests import it: the shapes that cross the
// bridge (common/bridge-types.ts) and the types derived from the one channel table (channels.ts).
// Nothing is declared here; it only gathers, so that one import path names the whole contract.
export type * from '../common/bridge-types';
export { AUDIO_SAMPLE_RATE, FRAME_BYTES, FRAME_SAMPLES, MAX_NOTE_CHARS, MAX_NOTES } from '../common/bridge-types';
export type { CompanionApi, EventChannel, Events, Handlers, Invoke, InvokeChannel, RequestChannel, Send, SendChannel, Sender } from './channels';
