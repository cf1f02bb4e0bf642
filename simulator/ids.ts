import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomSuffix(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/** Ids shaped like the real server's: `event_`, `sess_`, `conv_`, `resp_`, `item_` + 21 chars. */
export function newId(prefix: 'event' | 'sess' | 'conv' | 'resp' | 'item'): string {
  return `${prefix}_${randomSuffix(21)}`;
}

/** Function-call ids carry a shorter, 16-char suffix on the real server. */
export function newCallId(): string {
  return `call_${randomSuffix(16)}`;
}

/** mulberry32: small, fast and reproducible, so argument splits and obfuscation can be replayed in tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** GA deltas carry a random padding string so clients learn to ignore unknown fields. */
export function obfuscation(rand: () => number): string {
  const length = 8 + Math.floor(rand() * 8);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return out;
}
