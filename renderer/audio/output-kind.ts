// Is the sound coming out of speakers, where the mic hears the assistant, or headphones? Judged from
// the device labels the browser gives (e.g. "Default - Speakers (Realtek(R) Audio)", "MacBook Pro
// Speakers", "Jabra Evolve2 65", "AirPods Pro"). A label that names neither is 'unknown', and then
// Hark says nothing rather than guess.
export type OutputKind = 'speakers' | 'headphones' | 'unknown';

const HEADPHONES = /head(phone|set)|earphone|ear ?buds?|airpods|\bbuds\d*\b|hands-?free|\bjabra\b|plantronics|\bpoly\b|\bbose\b|\bwh-|\bwf-|\bheadset\b/i;
const SPEAKERS = /speaker|built-?in|internal|\bhdmi\b|displayport|display audio|\bmonitor\b/i;

export function outputKind(label: string): OutputKind {
  if (HEADPHONES.test(label)) return 'headphones';
  if (SPEAKERS.test(label)) return 'speakers';
  return 'unknown';
}

/**
 * The one-line hint for speakers: headphones make hands-free best, and half-duplex is suggested
 * when neither the output nor the mic is a headset. Null when there is nothing to say.
 */
export function speakerHint(outputLabel: string, inputLabel: string, halfDuplex: boolean): string | null {
  if (outputKind(outputLabel) !== 'speakers' || outputKind(inputLabel) === 'headphones') return null;
  return halfDuplex
    ? 'Speakers in use: headphones make hands-free best.'
    : 'Speakers in use: headphones make hands-free best. If the assistant keeps hearing itself, turn on half-duplex in Settings → Turn-taking.';
}
