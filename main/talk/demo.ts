// `npm run demo`: one spoken exchange and one typed one with the built-in simulator, offline and
// without a key. It makes its own "question" WAV (a voice-like tone, since there is no recording to
// ship), writes what the assistant said to reply.wav, and prints the conversation.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTalk } from './talk';
import { encodeWav } from '../audio/wav';

function questionWav(path: string): void {
  // 44.1 kHz stereo on purpose: the talk command converts any WAV to 24 kHz mono.
  const rate = 44_100;
  const syllables = [260, 180, 320, 220, 400];
  const frames: number[] = [];
  const pad = (ms: number) => frames.push(...new Array<number>(Math.round((ms * rate) / 1000) * 2).fill(0));
  pad(300);
  for (const ms of syllables) {
    const n = Math.round((ms * rate) / 1000);
    for (let i = 0; i < n; i++) {
      const env = Math.sin((Math.PI * i) / n);
      const v = Math.round(11000 * env * (Math.sin((2 * Math.PI * 180 * i) / rate) + 0.4 * Math.sin((2 * Math.PI * 540 * i) / rate)));
      frames.push(v, v);
    }
    pad(60);
  }
  pad(400);
  writeFileSync(path, encodeWav(Int16Array.from(frames), rate, 2));
}

const dir = mkdtempSync(join(tmpdir(), 'hark-demo-'));
const question = join(dir, 'question.wav');
questionWav(question);
const out = resolve('reply.wav');
const result = await runTalk(
  { inputs: [{ kind: 'wav', path: question }, { kind: 'text', text: 'What time is it?' }], out, transcript: resolve('transcript.json'), turnDetection: 'server_vad', simulate: true, turnTimeoutMs: 30_000 },
  (line) => process.stderr.write(`  ${line}\n`),
);
console.log('\nConversation:');
for (const item of result.items) {
  const who = item.role === 'user' ? 'you' : item.role === 'assistant' ? 'hark' : 'tool';
  const what = item.type === 'function_call' ? `${item.name}(${item.arguments})` : item.type === 'function_call_output' ? (item.output ?? '') : item.text;
  console.log(`  ${who.padEnd(5)} ${what}`);
}
console.log(`\nThe assistant's audio (${(result.played.length / 24_000).toFixed(1)} s) is in ${out}; the transcript in ${resolve('transcript.json')}.`);
if (!result.ok) {
  console.error(`demo failed: ${result.reason}`);
  process.exit(1);
}
process.exit(0);
