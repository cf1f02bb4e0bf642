// `npm run demo` as a newcomer runs it: from an empty folder, offline. It must say what it does,
// write into the folder it names and print the paths, and both WAVs must be speech, not a beep.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { readWav } from '../../main/audio/wav';
import { speechShape } from '../speech/speech-check';
import { runCommand } from '../support/run-command';

const root = new URL('../..', import.meta.url).pathname;
const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;

function demo(cwd: string, env: Record<string, string>) {
  return runCommand(['--import', tsx, join(root, 'main/talk/demo.ts')], { cwd, env: { OPENAI_API_KEY: '', HARK_REALTIME_URL: '', ...env } });
}

describe('npm run demo', () => {
  it('speaks a question, gets spoken replies, writes ./hark-demo/ and leaves no temp files', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'hark-demo-test-'));
    const tmp = mkdtempSync(join(tmpdir(), 'hark-demo-tmp-'));
    // A file of the same name in the folder itself is not overwritten.
    writeFileSync(join(cwd, 'reply.wav'), 'mine');
    const r = await demo(cwd, { TMPDIR: tmp });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(cwd, 'reply.wav'), 'utf8'), 'mine');
    // tsx keeps its compile cache there (tsx-*); that is the runner's, not the demo's.
    assert.deepEqual(readdirSync(tmp).filter((n) => !n.startsWith('tsx-')), [], 'no temp files left');

    // It says what it does, once, and that the simulator does not understand speech.
    assert.match(r.stdout, /^Hark demo: no key, no network\./m);
    assert.equal(r.stdout.match(/does not understand speech/g)?.length, 1);
    for (const name of ['question.wav', 'reply.wav', 'transcript.json']) {
      assert.ok(existsSync(join(cwd, 'hark-demo', name)), name);
      assert.match(r.stdout, new RegExp(`hark-demo/${name.replace('.', '\\.')}`), `prints the path of ${name}`);
    }

    // The transcript is the words: the question's, then a scripted reply that fits it, then the tool turn.
    const items = JSON.parse(readFileSync(join(cwd, 'hark-demo/transcript.json'), 'utf8')) as { role: string; type: string; text: string; audioMs?: number }[];
    assert.equal(items[0]!.text, 'Hello Hark, what can you do?');
    assert.match(items[1]!.text, /tools.*time/i, 'the reply answers the question');
    assert.ok(!items.some((i) => /spoken for/.test(i.text)), 'no "(spoken for N s)" placeholder');
    // gpt-realtime-2.1, the default, says a preamble before the tool call, in the same response.
    assert.deepEqual(items.map((i) => i.role), ['user', 'assistant', 'user', 'assistant', 'tool', 'tool', 'assistant']);
    assert.equal((items[3] as { phase?: string | null }).phase, 'commentary');
    assert.match(items[6]!.text, /^It is /);

    for (const name of ['question.wav', 'reply.wav']) {
      const pcm = readWav(join(cwd, 'hark-demo', name));
      const shape = speechShape(pcm);
      // A tone holds over half its energy in one bin (test/speech/tts.test.ts); this speech, with the
      // 2.x preamble, measured 0.23 to 0.253 across runs.
      assert.ok(shape.dominantBinShare < 0.3, `${name}: one frequency holds ${shape.dominantBinShare} of the energy`);
      assert.ok(shape.dips >= 4, `${name}: loudness dips ${shape.dips} times`);
    }
    // reply.wav is both replies, as played: their audio lengths add up.
    const replyMs = items.filter((i) => i.role === 'assistant').reduce((n, i) => n + (i.audioMs ?? 0), 0);
    const played = readWav(join(cwd, 'hark-demo/reply.wav')).length / 24;
    assert.ok(Math.abs(played - replyMs) <= 25, `played ${played} of ${replyMs} ms`);
  });
});
