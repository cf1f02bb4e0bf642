// The test bridge's wire format, shared by both ends. Audio never goes through JSON:
// page → node binary message = one 'audio:frame'; node → page binary message = one 'audio:delta'
// as [u32 LE header length][header JSON {responseId,itemId}][PCM16 bytes].

export type PageToNode =
  | { t: 'invoke'; id: number; channel: string; payload: unknown }
  | { t: 'send'; channel: string; payload: unknown };

export type NodeToPage =
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: string }
  | { t: 'event'; channel: string; payload: unknown };

export const BRIDGE_PATH = '/bridge';

export function encodeDelta(responseId: string, itemId: string, pcm: Uint8Array): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ responseId, itemId }));
  const out = new Uint8Array(4 + header.length + pcm.byteLength);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  out.set(pcm, 4 + header.length);
  return out;
}

export function decodeDelta(buf: ArrayBuffer): { responseId: string; itemId: string; pcm: ArrayBuffer } {
  const len = new DataView(buf).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, len))) as { responseId: string; itemId: string };
  return { ...header, pcm: buf.slice(4 + len) };
}
