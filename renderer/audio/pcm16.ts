// Float ↔ PCM16 conversion, pure and allocation-free: callers own the buffers.
// Int16Array is used directly as little-endian PCM: every platform Chromium/Electron ships on
// (x86-64, arm64) is little-endian, and DataView per sample would cost ~3× in the worklet.

/** One float sample in [-1, 1] to int16, clamped, asymmetric so that -1 → -32768 and 1 → 32767. */
export function floatToInt16(x: number): number {
  if (x >= 1) return 32767;
  if (x <= -1) return -32768;
  return x < 0 ? Math.round(x * 32768) : Math.round(x * 32767);
}

export function int16ToFloat(s: number): number {
  return s < 0 ? s / 32768 : s / 32767;
}

export function floatsToPcm16(src: Float32Array, dst: Int16Array, srcStart = 0, dstStart = 0, count = src.length - srcStart): void {
  for (let i = 0; i < count; i++) dst[dstStart + i] = floatToInt16(src[srcStart + i]!);
}

export function pcm16ToFloats(src: Int16Array, dst: Float32Array, srcStart = 0, dstStart = 0, count = src.length - srcStart): void {
  for (let i = 0; i < count; i++) dst[dstStart + i] = int16ToFloat(src[srcStart + i]!);
}
