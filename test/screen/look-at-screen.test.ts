// "Look at my screen" against the simulator: a fake capturer hands over real PNG screenshots that
// Chromium renders in this test, and the real pipeline (PNG decode, downscale, JPEG), the real
// approvals, the session and the simulator do the rest. Checked: allow / deny / no answer, the
// conversation.item.create the server receives, the image's size and bytes, the tokens it is
// billed, a refused Screen Recording permission, and the simulator's errors for a malformed image.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import jpeg from 'jpeg-js';
import { chromium } from 'playwright-core';
import { Approvals } from '../../main/tools/approvals';
import type { ApprovalAnswer, ApprovalRequest } from '../../main/tools/host-ports';
import { lookAtScreenTool } from '../../main/tools/builtin/look-at-screen';
import { ScreenLook } from '../../main/screen/screen-look';
import { imageTokens } from '../../main/screen/image-tokens';
import { screenSettingsSchema } from '../../common/settings/screen-settings';
import type { CaptureRequest, ScreenCapturer, ScreenPermission } from '../../main/screen/screen-capturer';
import { defaultBrain } from '../../simulator/replies';
import { startSimulator } from '../../simulator/server';
import { startPair, type Pair } from '../realtime/harness';
import { TestClient } from '../simulator/client';

/** A 2560 × 1440 "screen" with small text, rendered by Chromium: a real PNG, as desktopCapturer gives. */
let screenPng: Uint8Array;
before(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 2560, height: 1440 } });
    await page.setContent(`<body style="font:14px sans-serif;margin:40px;background:#f4f4f8">
      <h1>Quarterly numbers</h1><table border=1>${Array.from({ length: 30 }, (_, i) => `<tr><td>Row ${i}</td><td>${(i * 1234.5).toFixed(2)}</td><td>note ${i}</td></tr>`).join('')}</table></body>`);
    screenPng = new Uint8Array(await page.screenshot({ type: 'png' }));
  } finally {
    await browser.close();
  }
});

function fakeCapturer(permission: ScreenPermission = 'granted') {
  const requests: CaptureRequest[] = [];
  const capturer: ScreenCapturer = {
    permission: () => permission,
    listWindows: async () => [{ title: 'Editor: notes.txt' }],
    async capture(r) {
      requests.push(r);
      return { png: screenPng, source: r.windowTitle ? 'Editor: notes.txt' : 'screen' };
    },
  };
  return { capturer, requests };
}

interface Rig {
  pair: Pair;
  prompts: ApprovalRequest[];
  look: ScreenLook;
  requests: CaptureRequest[];
  indicator: boolean[];
  permissionEvents: string[];
}

let rig: Rig | null = null;
after(async () => rig?.pair.close());

/** The model calls look_at_screen on the first turn; afterwards the simulator's own brain answers. */
async function start(answer: ApprovalAnswer | 'never', o: { permission?: ScreenPermission; timeoutMs?: number; toolFirst?: boolean } = {}): Promise<Rig> {
  await rig?.pair.close();
  const prompts: ApprovalRequest[] = [];
  const approvals = new Approvals({
    prompter: { ask: (req) => (prompts.push(req), answer === 'never' ? new Promise(() => {}) : Promise.resolve(answer)) },
    timeoutMs: o.timeoutMs ?? 5000,
  });
  const { capturer, requests } = fakeCapturer(o.permission);
  let pair: Pair | null = null;
  const look = new ScreenLook({ capturer, approvals, session: { get isReady() { return pair!.session.isReady; }, sendImage: (...a) => pair!.session.sendImage(...a) }, settings: () => screenSettingsSchema.parse({}) });
  const indicator: boolean[] = [];
  look.on('capture', (c) => indicator.push(c.active));
  const permissionEvents: string[] = [];
  look.on('permission', (p) => permissionEvents.push(p.message));
  pair = await startPair({
    tools: [lookAtScreenTool(look)],
    settings: { turnDetection: { mode: 'none' }, transcription: { enabled: false } },
    sim: { respond: (ctx) => (ctx.turnIndex === 0 && o.toolFirst !== false ? { toolCalls: [{ name: 'look_at_screen', arguments: '{}' }] } : defaultBrain(ctx)) },
  });
  await pair.session.connect();
  rig = { pair, prompts, look, requests, indicator, permissionEvents };
  return rig;
}

/** The assistant's text after the tool round. */
async function reply(pair: Pair): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const items = pair.session.conversation.items();
    const last = items.filter((i) => i.role === 'assistant' && i.status === 'completed').at(-1);
    if (last && items.some((i) => i.type === 'function_call_output')) return last.text;
    if (Date.now() > deadline) throw new Error(`no reply: ${JSON.stringify(items.map((i) => [i.role, i.type, i.text]))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const received = (pair: Pair, type: string) => pair.sim.connections.at(-1)!.received.filter((r) => r.event.type === type).map((r) => r.event);
const toolOutput = (pair: Pair) => pair.session.conversation.items().find((i) => i.type === 'function_call_output')?.output ?? '';

describe('look_at_screen (fake capturer, real PNG and JPEG, simulator)', () => {
  test('allowed: one user message with input_image reaches the server, 1280 px on its long side, the reply sees it, the usage counts its image tokens', async () => {
    const { pair, prompts, requests, indicator } = await start('allow');
    pair.session.sendText('What do you think of the numbers on my screen?');
    const text = await reply(pair);

    // Consent with the picture: one prompt, with a thumbnail of what was then sent.
    assert.equal(prompts.length, 1);
    assert.equal(prompts[0]!.toolName, 'look_at_screen');
    const thumb = decodeDataUri(prompts[0]!.preview!);
    assert.ok(Math.max(thumb.width, thumb.height) === 240, `thumbnail ${thumb.width}×${thumb.height}`);
    assert.deepEqual(requests, [{ maxSide: 1280 }]);
    assert.deepEqual(indicator, [true, false], 'the indicator was on while the capture was taken, then off');

    // The shape the server received.
    const creates = received(pair, 'conversation.item.create').filter((e) => e.item.content?.some((c: { type: string }) => c.type === 'input_image'));
    assert.equal(creates.length, 1);
    const item = creates[0].item;
    assert.equal(item.type, 'message');
    assert.equal(item.role, 'user');
    assert.equal(item.content.length, 1);
    assert.equal(item.content[0].type, 'input_image');
    assert.equal(item.content[0].detail, 'high');
    assert.match(item.content[0].image_url, /^data:image\/jpeg;base64,[A-Za-z0-9+/]+=*$/);
    const sent = decodeDataUri(item.content[0].image_url);
    assert.equal(sent.width, 1280);
    assert.equal(sent.height, 720);
    // Real text on a light page: tens of KB as JPEG; a 2560 × 1440 PNG would be megabytes.
    console.log(`screen image: PNG ${(screenPng.length / 1024).toFixed(0)} KB at 2560×1440 → JPEG ${(sent.bytes / 1024).toFixed(0)} KB at ${sent.width}×${sent.height}`);
    assert.ok(sent.bytes > 10_000 && sent.bytes < 400_000, `${sent.bytes} bytes`);
    // The image item went out before the tool's output, so the follow-up reply sees both.
    const order = pair.sim.connections.at(-1)!.received.map((r) => r.event).filter((e) => e.type === 'conversation.item.create').map((e) => e.item.type);
    assert.deepEqual(order.slice(-2), ['message', 'function_call_output']);
    assert.match(toolOutput(pair), /"attached":true/);
    assert.match(text, /I can see the image you shared, 1280 by 720/);

    // The transcript keeps a thumbnail and the size; the tokens billed are the server's.
    const shown = pair.session.conversation.items().find((i) => i.image);
    assert.deepEqual({ ...shown!.image, thumbnail: undefined }, { thumbnail: undefined, width: 1280, height: 720, bytes: sent.bytes, tokens: 1105, source: 'screen' });
    assert.equal(imageTokens(1280, 720, 'high'), 1105);
    const done = pair.sim.connections.at(-1)!.sent.filter((r) => r.event.type === 'response.done').at(-1)!.event;
    assert.equal(done.response.usage.input_token_details.image_tokens, 1105);
    assert.ok(pair.session.conversation.usage.inputImageTokens >= 1105);
  });

  test('denied: nothing is sent and the model is told the user declined', async () => {
    const { pair, prompts } = await start('deny');
    pair.session.sendText('look at my screen');
    await reply(pair);
    assert.equal(prompts.length, 1);
    assert.equal(received(pair, 'conversation.item.create').filter((e) => JSON.stringify(e).includes('input_image')).length, 0);
    assert.match(toolOutput(pair), /The user declined to share the screen/);
  });

  test('no answer: the prompt times out, nothing is sent, and the model is told why', async () => {
    const { pair, prompts } = await start('never', { timeoutMs: 300 });
    pair.session.sendText('look at my screen');
    await reply(pair);
    assert.equal(prompts.length, 1);
    assert.equal(received(pair, 'conversation.item.create').filter((e) => JSON.stringify(e).includes('input_image')).length, 0);
    assert.match(toolOutput(pair), /no answer in 0\.3 s.*share the screen, so nothing was sent/);
  });

  test('a refused Screen Recording permission: no capture, no prompt, and both the user and the model learn where to allow it', async () => {
    const { pair, prompts, requests, permissionEvents } = await start('allow', { permission: 'denied' });
    pair.session.sendText('look at my screen');
    await reply(pair);
    assert.equal(requests.length, 0);
    assert.equal(prompts.length, 0);
    assert.match(toolOutput(pair), /System Settings › Privacy & Security › Screen & System Audio Recording/);
    assert.equal(permissionEvents.length, 1);
    // The conversation goes on: the reply says what went wrong.
    assert.match(pair.session.conversation.items().filter((i) => i.role === 'assistant').at(-1)!.text, /Sorry, that did not work/);
  });

  test('the user\'s own action sends a message with words and the image, and the reply follows without a tool call', async () => {
    const { pair, look } = await start('allow', { toolFirst: false });
    const r = await look.look('user');
    assert.equal(r.sent, true);
    const deadline = Date.now() + 10_000;
    let text = '';
    while (!/I can see/.test(text) && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 25));
      text = pair.session.conversation.items().filter((i) => i.role === 'assistant' && i.status === 'completed').at(-1)?.text ?? '';
    }
    assert.match(text, /I can see the image you shared, 1280 by 720\. You said: Look at my screen\./);
    const item = received(pair, 'conversation.item.create').at(-1).item;
    assert.deepEqual(item.content.map((c: { type: string }) => c.type), ['input_text', 'input_image']);
    assert.equal(received(pair, 'response.create').length, 1);
  });
});

describe('the periodic mode (off by default)', () => {
  test('on: the screen goes as context every interval without a prompt, with the persistent indicator; off: it stops', async () => {
    const { pair } = await start('never', { toolFirst: false });
    assert.equal(screenSettingsSchema.parse({}).periodicSeconds, null, 'off unless the user turns it on');
    const prompts: ApprovalRequest[] = [];
    const approvals = new Approvals({ prompter: { ask: (r) => (prompts.push(r), new Promise(() => {})) } });
    const { capturer } = fakeCapturer();
    // 0.2 s here; the settings allow 10 s at least.
    const look = new ScreenLook({ capturer, approvals, session: pair.session, settings: () => ({ ...screenSettingsSchema.parse({}), periodicSeconds: 0.2 }) });
    const periodic: boolean[] = [];
    look.on('capture', (c) => periodic.push(c.periodic));
    look.setPeriodic(true);
    const images = () => received(pair, 'conversation.item.create').filter((e) => JSON.stringify(e).includes('input_image'));
    const deadline = Date.now() + 5000;
    while (images().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    look.setPeriodic(false);
    const sentWhileOn = images().length;
    assert.ok(sentWhileOn >= 2, `${sentWhileOn} periodic captures`);
    assert.equal(prompts.length, 0, 'turning the mode on was the consent');
    assert.equal(periodic[0], true, 'the indicator says periodic from the start');
    assert.equal(periodic.at(-1), false);
    // Context only: no reply is asked for.
    assert.equal(received(pair, 'response.create').length, 0);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(images().length, sentWhileOn, 'nothing after it was turned off');
  });
});

describe('simulator: input_image validation', () => {
  test('a malformed image gets the invalid_value error the real server sends; a valid one is added', async () => {
    const sim = await startSimulator({ updateDelayMs: 1 });
    try {
      const c = await TestClient.connect(sim.url);
      await c.waitFor('session.created');
      const tinyPng = Buffer.from(screenPng).toString('base64');
      const cases: Array<[string, RegExp]> = [
        ['https://example.com/a.png', /but got a value without the 'data:' prefix\.$/],
        ['data:image/gif;base64,R0lGODlhAQABAAAAACw=', /but got unsupported MIME type 'image\/gif'\.$/],
        ['data:image/png;base64,', /but got empty base64-encoded bytes\.$/],
        ['data:image/png;base64,@@@@', /but got an invalid base64-encoded value\.$/],
        [`data:image/jpeg;base64,${tinyPng}`, /not a valid JPEG image/],
      ];
      for (const [i, [url, message]] of cases.entries()) {
        c.send({ type: 'conversation.item.create', event_id: `evt_${i}`, item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'see' }, { type: 'input_image', image_url: url }] } });
        const err = await c.waitFor('error', (e) => e.error.event_id === `evt_${i}`);
        assert.equal(err.error.type, 'invalid_request_error');
        assert.equal(err.error.code, 'invalid_value');
        assert.equal(err.error.param, 'item.content[1].image_url');
        assert.match(err.error.message, /^Invalid 'item\.content\[1\]\.image_url'\./);
        assert.match(err.error.message, message);
      }
      c.send({ type: 'conversation.item.create', event_id: 'evt_ok', item: { type: 'message', role: 'user', content: [{ type: 'input_image', image_url: `data:image/png;base64,${tinyPng}`, detail: 'low' }] } });
      const added = await c.waitFor('conversation.item.added');
      assert.equal(added.item.content[0].type, 'input_image');
      c.send({ type: 'response.create' });
      const done = await c.waitFor('response.done');
      assert.equal(done.response.usage.input_token_details.image_tokens, 85, 'low detail costs 85 tokens');
      c.ws.close();
    } finally {
      await sim.close();
    }
  });
});

function decodeDataUri(uri: string): { width: number; height: number; bytes: number } {
  const bytes = Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64');
  const img = jpeg.decode(bytes, { useTArray: true });
  return { width: img.width, height: img.height, bytes: bytes.length };
}
