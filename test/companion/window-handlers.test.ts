// The window's handler map without a browser: approvals answered through it, the event log streams
// only while watched, export offers the save port; and which banner each session state calls for.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { EventChannel, Events, SessionState } from '../../preload/api';
import { CHANNELS } from '../../preload/channels';

const windowInvokeSchemas = { 'approval:answer': CHANNELS['approval:answer'].req };
import { EventLog } from '../../main/app/event-log';
import { linkWindowServices } from '../../main/app/window-handlers';
import { HistoryStore } from '../../main/history/history-store';
import { ApprovalQueue } from '../../main/tools/approval-queue';
import { bannerFor } from '../../renderer/companion/banner';

function setup() {
  const emitted: Array<{ channel: EventChannel; payload: unknown }> = [];
  const emit = <K extends EventChannel>(channel: K, payload: Events[K]) => void emitted.push({ channel, payload });
  const wire = new EventEmitter();
  const eventLog = new EventLog(wire as never, 3);
  const approvals = new ApprovalQueue();
  const meter = Object.assign(new EventEmitter(), { summary: () => ({}) });
  const history = new HistoryStore({ dir: join(mkdtempSync(join(tmpdir(), 'hark-wh-')), 'history') });
  const saved: string[] = [];
  const link = linkWindowServices({ history, meter: meter as never, eventLog, approvals, emit, saveExport: async (name) => (saved.push(name), `/tmp/${name}`) });
  return { emitted, wire, approvals, link, history, saved };
}

const base: SessionState = { phase: 'error', turnDetection: 'none', turnOpen: false, muted: false };

describe('window handlers', () => {
  test('an approval prompt reaches the window and is answered through the handler map', async () => {
    const { emitted, approvals, link } = setup();
    const answer = approvals.ask({ id: 'p1', callId: 'call_1', toolName: 'write_clipboard', summary: 'copy "x"', args: { text: 'x' }, expiresAt: Date.now() + 30_000 }, new AbortController().signal);
    assert.deepEqual(emitted.map((e) => e.channel), ['approval:request']);
    assert.deepEqual((await link.handlers['approval:pending']()).map((p) => p.id), ['p1']);
    assert.equal(await link.handlers['approval:answer']({ id: 'p1', answer: 'always' }), true);
    assert.equal(await answer, 'always');
    assert.deepEqual(emitted.at(-1), { channel: 'approval:settled', payload: { id: 'p1', answer: 'always' } });
    assert.equal(await link.handlers['approval:answer']({ id: 'p1', answer: 'deny' }), false, 'a settled prompt cannot be answered again');
    assert.equal(windowInvokeSchemas['approval:answer'].safeParse({ id: 'p1', answer: 'maybe' }).success, false);
  });

  test('the event log keeps recent events, and streams them only while the window watches', async () => {
    const { emitted, wire, link } = setup();
    for (let i = 0; i < 5; i++) wire.emit('wire', { dir: 'in', event: { type: `e${i}` } });
    assert.equal(emitted.length, 0);
    const recent = await link.handlers['eventlog:watch']({ on: true });
    assert.deepEqual(recent.map((e) => e.type), ['e2', 'e3', 'e4'], 'a bounded ring of the latest');
    wire.emit('wire', { dir: 'out', event: { type: 'session.update', instructions: 'x'.repeat(40_000) } });
    const streamed = emitted.find((e) => e.channel === 'eventlog:entry')!.payload as { event: { note: string } };
    assert.match(streamed.event.note, /shortened/);
    await link.handlers['eventlog:watch']({ on: false });
    wire.emit('wire', { dir: 'in', event: { type: 'late' } });
    assert.equal(emitted.filter((e) => e.channel === 'eventlog:entry').length, 1);
  });

  test('export of a missing conversation says so; a present one goes through the save port', async () => {
    const { link, history, saved } = setup();
    await assert.rejects(Promise.resolve(link.handlers['history:export']({ id: 'nope' })), /no longer exists/);
    await history.open(null);
    await history.append('c1', [{ t: 'start', v: 1, id: 'c1', startedAt: Date.parse('2026-11-25T09:00:00'), model: 'm' }, { t: 'item', at: 1, item: { id: 'i', role: 'user', type: 'message', text: 'Hello there', status: 'completed', modality: 'text', createdAt: 1 } }]);
    const r = await link.handlers['history:export']({ id: 'c1' });
    assert.equal(r.fileName, 'hark-2026-11-25-hello-there.md');
    assert.equal(r.savedTo, `/tmp/${r.fileName}`);
    assert.deepEqual(saved, [r.fileName]);
  });
});

describe('banners', () => {
  test('a bad or missing key opens settings; quota says so; a lost network counts down', () => {
    const key = bannerFor({ ...base, error: { fatal: true, code: 'invalid_api_key', message: 'The API key was rejected (invalid API key). Check the key in settings.' } }, 0)!;
    assert.equal(key.action, 'open-settings');
    assert.equal(bannerFor({ ...base, error: { fatal: true, code: 'no_key', message: 'No API key is set.' } }, 0)!.title, 'No API key');
    assert.equal(bannerFor({ ...base, error: { fatal: true, code: 'http_401', message: 'Rejected (HTTP 401).' } }, 0)!.action, 'open-settings');
    const quota = bannerFor({ ...base, error: { fatal: true, code: 'insufficient_quota', message: 'Your OpenAI account is out of quota. Add credit or raise the limit, then reconnect.' } }, 0)!;
    assert.equal(quota.title, 'Out of quota');
    assert.match(quota.message, /out of quota/);
    const lost = bannerFor({ ...base, phase: 'reconnecting', reconnect: { attempt: 2, inMs: 4000 }, error: { fatal: false, code: '1006', message: 'Reconnecting: the connection dropped.' } }, 3)!;
    assert.equal(lost.message, 'Reconnecting in 3 s (attempt 2). Cause: the connection dropped.');
    assert.equal(bannerFor({ ...base, phase: 'listening' }, 0), null);
  });
});
