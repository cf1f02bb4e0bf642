// The one rule for what the user heard of a cut reply: its text cut in proportion to the audio they
// actually heard, at a word boundary. Main carries that part into the next session and the window
// marks the rest as unheard, so both import it from here (the renderer may not import main/). It
// reads only the cut, not the status: a reply the server completed can still have been cut short
// when a dropped connection stopped its playback.

export interface HeardFields {
  text: string;
  /** Where playback stopped, in ms of the item's audio. */
  truncatedAtMs?: number | undefined;
  /** How much audio the item had. */
  audioMs?: number | undefined;
}

export function splitHeard(item: HeardFields): { heard: string; unheard: string } {
  if (item.truncatedAtMs === undefined || !item.audioMs) return { heard: item.text, unheard: '' };
  const fraction = Math.min(1, item.truncatedAtMs / item.audioMs);
  const cut = Math.round(item.text.length * fraction);
  const space = item.text.lastIndexOf(' ', cut);
  const at = space > 0 ? space : cut;
  return { heard: item.text.slice(0, at), unheard: item.text.slice(at) };
}

/** The heard part alone. */
export function heardText(item: HeardFields): string {
  return splitHeard(item).heard;
}
