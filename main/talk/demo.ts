// `npm run demo`: one spoken exchange and one typed one with the built-in simulator, offline and
// without a key. The question is real synthesized speech and so is the reply (eSpeak NG compiled to
// WASM), so a newcomer hears what Hark does. Everything goes into one folder it names.
import { SAMPLE_RATE } from '../../common/audio-format';
import { mkdirSync, rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { runTalk } from './talk';
import { writeWav } from '../audio/wav';
import { synthesize } from '../../simulator/tts';
import { defaultBrain } from '../../simulator/replies';

const QUESTION = 'Hello Hark, what can you do?';
const ANSWER = 'Hi! I talk with you out loud, and I can use tools. Ask me the time.';
const TYPED = 'What time is it?';

/** The clock tool's answer as a person would say it: the hour and minute, not the whole date (shorter to hear). */
function sayTime(output: string): string {
  const local = (JSON.parse(output) as { local?: string }).local ?? '';
  const hm = /(\d{1,2}:\d{2})(?::\d{2})?(?:\s+([A-Z]{2,5}))?\s*$/.exec(local);
  return hm ? `It is ${hm[1]}${hm[2] ? ` ${hm[2]}` : ''}.` : `It is ${local}.`;
}

const dir = resolve(process.argv[2] ?? 'hark-demo');
mkdirSync(dir, { recursive: true });
const question = resolve(dir, 'question.wav');
const out = resolve(dir, 'reply.wav');
const transcript = resolve(dir, 'transcript.json');
const show = (p: string) => relative(process.cwd(), p) || p;
// Files of an earlier run would be mistaken for this one's if this run fails half way.
for (const p of [out, transcript]) rmSync(p, { force: true });
writeWav(question, await synthesize(QUESTION));

console.log(`Hark demo: no key, no network. It speaks "${QUESTION}" (${show(question)}) to the built-in simulator, then types "${TYPED}".`);
console.log('The simulator does not understand speech: it is told the question\'s words and answers from a script; a real model hears you.\n');
const result = await runTalk(
  {
    inputs: [{ kind: 'wav', path: question }, { kind: 'text', text: TYPED }],
    out,
    transcript,
    turnDetection: 'server_vad',
    simulate: true,
    turnTimeoutMs: 30_000,
    simulatorOptions: {
      userTranscript: () => QUESTION,
      respond: (ctx) => (ctx.toolOutputs.length === 0 && ctx.userText === QUESTION ? { text: ANSWER } : ctx.toolOutputs.length ? { text: sayTime(ctx.toolOutputs[0]!.output) } : defaultBrain(ctx)),
    },
  },
  (line) => process.stderr.write(`  ${line}\n`),
);
console.log('\nConversation:');
for (const item of result.items) {
  const who = item.role === 'user' ? 'you' : item.role === 'assistant' ? 'hark' : 'tool';
  const what = item.type === 'function_call' ? `${item.name}(${item.arguments})` : item.type === 'function_call_output' ? (item.output ?? '') : item.text;
  console.log(`  ${who.padEnd(5)} ${what}`);
}
console.log(`\nWritten to ${show(dir)}/:`);
console.log(`  ${show(question).padEnd(28)} the spoken question`);
console.log(`  ${show(out).padEnd(28)} what the assistant said (${(result.played.length / SAMPLE_RATE).toFixed(1)} s of speech)`);
console.log(`  ${show(transcript).padEnd(28)} the conversation as JSON`);
console.log('\nNext: npm start for the desktop app, or npm run talk -- --help to talk from the command line.');
if (!result.ok) {
  console.error(`demo failed: ${result.reason}`);
  process.exit(1);
}
process.exit(0);
