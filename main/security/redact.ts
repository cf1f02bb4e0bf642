// The one redaction of secrets, applied at every exit of main: notices, the session's state, the
// event log's wire events, conversation items (and so history), IPC payloads, talk's stderr, the
// key test's result and crash messages. It removes the key in use (whatever its shape) and anything
// shaped like an OpenAI or Azure key, because a server or proxy may echo a key that is not ours.
const KEY_PATTERNS = [
  /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{8,}/g, // OpenAI secret keys, old and project-scoped
  /\b[a-f0-9]{32}\b/gi, // Azure OpenAI keys: 32 hex characters
  /\bBearer\s+[A-Za-z0-9._~+/-]{12,}=*/g,
];

/** For logs and messages: enough to recognise a key, never enough to use it. */
export function maskKey(key: string): string {
  return key.length <= 8 ? '****' : `${key.slice(0, 3)}…${key.slice(-4)}`;
}

const known = new Set<string>();

/** Registers a key in use (the stored one, OPENAI_API_KEY, a key being tested); it is redacted everywhere from now on. */
export function registerSecret(key: string | null | undefined): void {
  const k = key?.trim();
  if (k && k.length >= 8) known.add(k);
}

/** The text with every registered key and every key-shaped string replaced by its mask. */
export function redactText(text: string): string {
  let out = text;
  for (const k of known) if (out.includes(k)) out = out.split(k).join(maskKey(k));
  for (const re of KEY_PATTERNS) out = out.replace(re, (m) => maskKey(m));
  return out;
}

/**
 * A copy of `value` with every string redacted. Cheap when nothing matches (the same object comes
 * back), depth-bounded so a hostile, deeply nested payload cannot overflow the stack here.
 */
export function redact<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (!value || typeof value !== 'object' || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  if (depth > 64) return '[nested too deeply]' as T;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const r = redact(v, depth + 1);
      if (r !== v) changed = true;
      return r;
    });
    return (changed ? out : value) as T;
  }
  let copy: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const r = redact(v, depth + 1);
    if (r !== v) {
      copy ??= { ...(value as Record<string, unknown>) };
      // defineProperty: a "__proto__" key from JSON.parse must stay a plain field, not a prototype.
      Object.defineProperty(copy, k, { value: r, enumerable: true, writable: true, configurable: true });
    }
  }
  return (copy ?? value) as T;
}
