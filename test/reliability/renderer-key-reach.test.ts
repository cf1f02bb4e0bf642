// The renderer cannot reach the key, or the API (B5 test 20 (a) and (c)). Statically: the built
// renderer pages and assets hold no key-shaped string, no address of the API and no read of the
// environment (the words OPENAI_API_KEY appear only in help text telling the user where a key can
// come from). At run time,
// the real companion page under the app's CSP: fetch and WebSocket to the API are refused by
// connect-src (the violation is seen, so it is the policy, not the missing network, that stops them).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildPages, startSession, waitFor, type Session } from '../chromium/harness';
import { writeWav } from '../chromium/wav';

const wav = writeWav(join(mkdtempSync(join(tmpdir(), 'hark-keyreach-')), 'silence.wav'), [{ ms: 500, silence: true }]);
let s: Session;
before(async () => {
  s = await startSession(wav);
});
after(async () => {
  await s?.close();
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

test('the built pages hold no key pattern and no API address', async () => {
  const out = await buildPages();
  const texts = files(out)
    .filter((f) => /\.(js|html|css|mjs)$/.test(f))
    .map((f) => [f, readFileSync(f, 'utf8')] as const);
  assert.ok(texts.length > 3, 'the build has pages and assets');
  // (Azure's host appears only as an example address in the settings' hints: NAME.openai.azure.com.)
  for (const [f, t] of texts) {
    for (const re of [/sk-(proj-)?[A-Za-z0-9_-]{16,}/, /api\.openai\.com/, /process\.env|import\.meta\.env\.OPENAI|env\[["']OPENAI_API_KEY/]) {
      assert.ok(!re.test(t), `${f} matches ${re}: ${re.exec(t)?.[0]}`);
    }
  }
});

test('under the app CSP, fetch and WebSocket to the API are refused by connect-src', { timeout: 30_000 }, async () => {
  await s.context.addInitScript({ content: 'window.companion = { on: () => () => {}, sendAudioFrame() {}, reportInterrupted() {} };' });
  await s.open({}, 'renderer/index.html');
  await waitFor(async () => (await s.page.textContent('#status')) !== 'Starting audio…', 8000, 'app boot');
  const r = await s.page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
    let fetched = 'sent';
    try {
      await fetch('https://api.openai.com/v1/models');
    } catch (e) {
      fetched = (e as Error).name;
    }
    let ws = 'opened';
    try {
      const sock = new WebSocket('wss://api.openai.com/v1/realtime');
      ws = await new Promise<string>((resolve) => {
        sock.onerror = () => resolve('error');
        sock.onopen = () => resolve('opened');
      });
    } catch (e) {
      ws = (e as Error).name;
    }
    await new Promise((r) => setTimeout(r, 200));
    return { fetched, ws, violations };
  });
  assert.equal(r.fetched, 'TypeError', 'fetch refused');
  assert.notEqual(r.ws, 'opened', 'WebSocket refused');
  assert.ok(r.violations.some((v) => v.startsWith('connect-src') && v.includes('api.openai.com')), `violations: ${JSON.stringify(r.violations)}`);
  assert.ok(r.violations.filter((v) => v.startsWith('connect-src')).length >= 2, `both refused by the policy: ${JSON.stringify(r.violations)}`);
});
