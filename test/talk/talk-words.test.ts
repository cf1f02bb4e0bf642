// The words `talk` says to a newcomer: the help (stdout, exit 0), and each usage or failure
// sentence naming the option and what to do. Runs the real command as a child process.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { encodeWav } from '../../main/audio/wav';
import { defaultSettings } from '../../common/settings/settings-schema';
import { startSimulator, type Simulator } from '../../simulator/server';
import { runCommand } from '../support/run-command';

const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'hark-talk-words-'));

function run(args: string[], env: Record<string, string> = {}) {
  return runCommand(['--import', 'tsx', 'main/talk/talk.ts', ...args], { cwd: root, env: { OPENAI_API_KEY: '', HARK_REALTIME_URL: '', ...env } });
}

function shortWav(name: string): string {
  const pcm = new Int16Array(24_000 * 0.6);
  for (let i = 0; i < 24_000 * 0.4; i++) pcm[i] = Math.round(9000 * Math.sin((2 * Math.PI * 200 * i) / 24_000));
  const path = join(dir, name);
  writeFileSync(path, encodeWav(pcm));
  return path;
}

describe('talk explains itself', () => {
  const sims: Simulator[] = [];
  after(async () => {
    for (const s of sims) await s.close();
  });

  test('--help and -h print every option with its default to stdout and exit 0', async () => {
    const d = defaultSettings();
    for (const flag of ['--help', '-h']) {
      const r = await run([flag]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '', 'nothing on stderr');
      for (const opt of ['--in', '--text', '--out', '--transcript', '--turn-detection', '--timeout', '--endpoint', '--model', '--voice', '--simulate']) {
        assert.match(r.stdout, new RegExp(`^\\s+${opt}\\b`, 'm'), `${flag} explains ${opt}`);
      }
      assert.match(r.stdout, /--turn-detection[^]*default: server_vad/);
      assert.match(r.stdout, /--timeout[^]*default: 60\b/);
      assert.ok(r.stdout.includes(`default: ${d.model}`), 'the model default comes from settings');
      assert.ok(r.stdout.includes(`default: ${d.voice}`), 'the voice default comes from settings');
      assert.match(r.stdout, /OPENAI_API_KEY/);
      assert.match(r.stdout, /HARK_REALTIME_URL/);
      assert.equal(r.stdout.match(/^\s+(?:\S+=\S+ )?npm run talk -- /gm)?.length, 2, 'two examples');
    }
  });

  test('a usage error points to --help and exits 2', async () => {
    const r = await run(['--turn-detection', 'vad', '--text', 'hi']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--turn-detection must be server_vad, semantic_vad, local or none, not "vad"/);
    assert.match(r.stderr, /npm run talk -- --help/);
    const unknown = await run(['--inn', 'x.wav']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--inn/);
    assert.match(unknown.stderr, /npm run talk -- --help/);
    assert.ok(!/at .*node:internal/.test(unknown.stderr), 'no stack trace');
  });

  test('--endpoint that is not a ws:// or wss:// URL names the option', async () => {
    const r = await run(['--text', 'hi', '--endpoint', 'localhost:8080']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^--endpoint: not a URL \(expected ws:\/\/ or wss:\/\/…/m);
    const http = await run(['--text', 'hi', '--endpoint', 'https://api.openai.com/v1/realtime']);
    assert.equal(http.code, 2);
    assert.match(http.stderr, /^--endpoint: "https:\/\/api\.openai\.com\/v1\/realtime" is a https URL; expected ws:\/\/ or wss:\/\//m);
    const env = await run(['--text', 'hi'], { HARK_REALTIME_URL: 'nonsense' });
    assert.equal(env.code, 2);
    assert.match(env.stderr, /^HARK_REALTIME_URL: not a URL/m);
  });

  test('a missing --in file says which one and that it does not exist', async () => {
    const missing = join(dir, 'nope.wav');
    const r = await run(['--in', missing, '--simulate']);
    assert.equal(r.code, 2);
    assert.ok(r.stderr.includes(`--in ${missing}: the file does not exist`), r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 2, 'the reason and the pointer to --help');
  });

  test('no key says how to give one', async () => {
    const r = await run(['--text', 'hi']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^talk: no API key: set OPENAI_API_KEY .*or use --simulate/m);
  });

  test('a refused key says where it came from and what to do, not "settings"', async () => {
    const sim = await startSimulator();
    sims.push(sim);
    const r = await run(['--text', 'hi', '--endpoint', sim.url], { OPENAI_API_KEY: 'sk-bad-key-123456' });
    assert.equal(r.code, 1);
    const last = r.stderr.trim().split('\n').at(-1)!;
    assert.match(last, /^talk: The API key was rejected \(invalid API key\)\. The key came from OPENAI_API_KEY: set it to a valid key, or use --simulate/);
    assert.ok(!/settings/.test(last), last);
    assert.ok(!r.stderr.includes('sk-bad-key-123456'));
  });

  test('without --out it says once that the reply audio is not saved; with --out it does not', async () => {
    const sim = await startSimulator({ paceFactor: 20 });
    sims.push(sim);
    const q = shortWav('q.wav');
    const r = await run(['--in', q, '--text', 'again', '--endpoint', sim.url], { OPENAI_API_KEY: 'sk-test' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.match(/the reply audio is not saved \(add --out reply\.wav to keep it\)/g)?.length, 1, r.stderr);
    const w = await run(['--text', 'hi', '--endpoint', sim.url, '--out', join(dir, 'r.wav')], { OPENAI_API_KEY: 'sk-test' });
    assert.equal(w.code, 0, w.stderr);
    assert.ok(!w.stderr.includes('not saved'), w.stderr);
  });
});
