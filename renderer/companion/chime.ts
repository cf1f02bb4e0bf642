// The first-run guide's speaker check: a short two-note chime, played on the audio engine's own
// context so it goes to the output device replies use. Resolves with the loudest sample that
// reached the output (measured on the way out), so a silent graph cannot pass for a chime.
export async function playChime(engineContext: AudioContext | null): Promise<number> {
  const context = engineContext ?? new AudioContext();
  await context.resume();
  const out = context.createGain();
  const tap = context.createAnalyser();
  tap.fftSize = 2048;
  out.connect(context.destination);
  out.connect(tap);
  const start = context.currentTime + 0.05;
  const notes = [660, 880];
  for (const [i, hz] of notes.entries()) {
    const osc = context.createOscillator();
    const env = context.createGain();
    osc.frequency.value = hz;
    const t = start + i * 0.22;
    env.gain.setValueAtTime(0, t);
    env.gain.linearRampToValueAtTime(0.25, t + 0.02);
    env.gain.exponentialRampToValueAtTime(0.001, t + 0.4);
    osc.connect(env).connect(out);
    osc.start(t);
    osc.stop(t + 0.42);
  }
  const buf = new Float32Array(tap.fftSize);
  let peak = 0;
  const endsAt = start + 0.22 * (notes.length - 1) + 0.42;
  // Sampled on painted frames while it plays (about 0.7 s), then the nodes are released.
  await new Promise<void>((resolve) => {
    const read = () => {
      tap.getFloatTimeDomainData(buf);
      for (const v of buf) peak = Math.max(peak, Math.abs(v));
      if (context.currentTime < endsAt) requestAnimationFrame(read);
      else resolve();
    };
    requestAnimationFrame(read);
  });
  out.disconnect();
  tap.disconnect();
  if (!engineContext) await context.close();
  return peak;
}
