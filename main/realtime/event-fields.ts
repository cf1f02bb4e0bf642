// Reading server events defensively. The SDK's types say what the server should send; these say
// what to do when it does not: a missing or mistyped field reads as empty, and a field an event means
// nothing without makes the whole event malformed (the session skips it and tells the user once).

export type ServerEvent = { type: string; [k: string]: unknown };

/** One frame off the wire as an event, or null when it is not JSON with a type. */
export function parseServerEvent(raw: string): ServerEvent | null {
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && typeof (parsed as ServerEvent).type === 'string' ? (parsed as ServerEvent) : null;
  } catch {
    return null;
  }
}

export function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A field the event means nothing without: its absence makes the whole event malformed. */
export function need(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') throw new Error(`${field} is missing`);
  return v;
}

export function nullableStr(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** For the event log: audio payloads replaced by their size. */
export function elideAudio(e: ServerEvent): ServerEvent {
  if ((e.type === 'response.output_audio.delta' || e.type === 'input_audio_buffer.append') && typeof (e.delta ?? e.audio) === 'string') {
    const key = e.type === 'input_audio_buffer.append' ? 'audio' : 'delta';
    return { ...e, [key]: `<${Math.floor(((e[key] as string).length * 3) / 4)} bytes of audio>` };
  }
  return e;
}
