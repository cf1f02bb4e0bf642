// The history on disk: crash-safe appends, a torn last line recovered without losing what came
// before, search, Markdown export, delete, retention and the off switch.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { EventEmitter } from 'node:events';
import type { ConversationItem, SessionState } from '../../preload/api';
import { HistoryRecorder } from '../../main/history/history-recorder';
import { HistoryStore } from '../../main/history/history-store';
import { exportFileName, toMarkdown } from '../../main/history/markdown-export';
import { zeroUsage } from '../../main/usage/usage-math';

const fresh = () => mkdtempSync(join(tmpdir(), 'hark-history-'));
let clock = Date.parse('2026-11-25T10:00:00Z');
const now = () => clock;

function item(id: string, role: ConversationItem['role'], text: string, extra: Partial<ConversationItem> = {}): ConversationItem {
  return { id, role, type: 'message', text, status: 'completed', modality: 'audio', createdAt: clock++, ...extra };
}

/** A stand-in session: the recorder only listens. */
class FakeSession extends EventEmitter {
  state(phase: SessionState['phase']) {
    this.emit('state', { phase, turnDetection: 'server_vad', turnOpen: false, muted: false });
  }
}

function recorderOn(store: HistoryStore, enabled = true) {
  const session = new FakeSession();
  const usage = new EventEmitter();
  const rec = new HistoryRecorder({ session: session as never, store, settings: () => ({ enabled, saveAudio: false, retentionDays: null }), model: () => 'gpt-realtime', usage: usage as never, now });
  return { session, usage, rec };
}

describe('history store', () => {
  test('a turn reaches the disk at its end, not before; usage is recorded with it', async () => {
    const store = new HistoryStore({ dir: fresh(), now });
    await store.open(null);
    const { session, usage, rec } = recorderOn(store);
    session.emit('item', item('u1', 'user', 'What is the weather in Paris?', { status: 'in_progress' }));
    session.emit('item', item('u1', 'user', 'What is the weather in Paris?'));
    session.emit('item', item('a1', 'assistant', 'Sunny, 21 degrees.', { responseId: 'r1' }));
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await store.list(), [], 'nothing on disk mid-turn');
    usage.emit('response', { responseId: 'r1', usage: { ...zeroUsage(), responses: 1, inputTokens: 100, outputTokens: 50, totalTokens: 150, inputAudioTokens: 100, outputAudioTokens: 50 }, costUsd: 0.0064 });
    session.emit('response', { id: 'r1', status: 'completed' });
    await rec.flush();
    const [hit] = await store.list();
    assert.equal(hit!.title, 'What is the weather in Paris?');
    assert.equal(hit!.messages, 2);
    assert.equal(hit!.usage.totalTokens, 150);
    assert.equal(hit!.costUsd, 0.0064);
    const conv = (await store.get(hit!.id))!;
    assert.deepEqual(conv.items.map((i) => i.text), ['What is the weather in Paris?', 'Sunny, 21 degrees.']);
    assert.equal(conv.recovered, null);
  });

  test('a reply cut later is stored cut, in the same conversation, even after a new one started', async () => {
    const store = new HistoryStore({ dir: fresh(), now });
    await store.open(null);
    const { session, rec } = recorderOn(store);
    session.emit('item', item('a1', 'assistant', 'A long story about', { audioMs: 4000 }));
    session.state('disconnected');
    session.emit('reset', { resumedFrom: null });
    session.emit('item', item('a1', 'assistant', 'A long story about', { audioMs: 4000, status: 'interrupted', truncatedAtMs: 1234 }));
    session.emit('item', item('u2', 'user', 'Next conversation'));
    session.state('listening');
    await rec.flush();
    const list = await store.list();
    assert.equal(list.length, 2, 'a new file after the reset');
    const first = (await store.get(list.find((h) => h.title === 'Conversation')!.id))!;
    assert.equal(first.items[0]!.status, 'interrupted');
    assert.equal(first.items[0]!.truncatedAtMs, 1234);
  });

  test('a torn last line (killed mid-write) is dropped and repaired; every earlier turn survives', async () => {
    const dir = fresh();
    const store = new HistoryStore({ dir, now });
    await store.open(null);
    const { session, rec } = recorderOn(store);
    for (let t = 0; t < 3; t++) {
      session.emit('item', item(`u${t}`, 'user', `question ${t}`));
      session.emit('item', item(`a${t}`, 'assistant', `answer ${t}`));
      session.state('listening');
      await rec.flush();
    }
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.jsonl'))!);
    appendFileSync(file, '{"t":"item","at":1,"item":{"id":"a3","role":"assistant","type":"mess');
    const notices: string[] = [];
    const reopened = new HistoryStore({ dir, now, onNotice: (n) => notices.push(n.message) });
    await reopened.open(null);
    assert.match(notices[0]!, /cut short.*dropped/);
    const conv = (await reopened.get(readdirSync(dir)[0]!.replace('.jsonl', '')))!;
    assert.deepEqual(conv.items.map((i) => i.text), ['question 0', 'answer 0', 'question 1', 'answer 1', 'question 2', 'answer 2']);
    assert.match(conv.recovered!, /cut short/);
    assert.ok(readFileSync(file, 'utf8').endsWith('\n'), 'the torn tail is cut off, so appends start on a clean line');
    // A damaged line in the middle is skipped, not fatal, and the rest still reads.
    writeFileSync(file, readFileSync(file, 'utf8').replace('"question 1"', '"question 1'));
    const again = (await reopened.get(readdirSync(dir)[0]!.replace('.jsonl', '')))!;
    assert.equal(again.items.length, 5);
    assert.match(again.recovered ?? '', /damaged|cut short/);
  });

  test('a disconnect alone does not end the conversation: continuing after it stays in the same file', async () => {
    const store = new HistoryStore({ dir: fresh(), now });
    await store.open(null);
    const { session, rec } = recorderOn(store);
    session.emit('item', item('u1', 'user', 'Before the break'));
    session.state('disconnected');
    session.emit('item', item('u2', 'user', 'After the break'));
    await rec.flush();
    const list = await store.list();
    assert.equal(list.length, 1);
    assert.deepEqual((await store.get(list[0]!.id))!.items.map((i) => i.text), ['Before the break', 'After the break']);
  });
  test('search finds words in transcripts and tool calls, with a snippet; delete one and all', async () => {
    const store = new HistoryStore({ dir: fresh(), now });
    await store.open(null);
    const { session, rec } = recorderOn(store);
    session.emit('item', item('u1', 'user', 'Remind me to water the basil tomorrow morning'));
    session.emit('item', { ...item('f1', 'tool', 'set_reminder'), type: 'function_call', name: 'set_reminder', callId: 'c1', arguments: '{"what":"water the basil"}', modality: null });
    session.emit('item', { ...item('o1', 'tool', 'set_reminder'), type: 'function_call_output', name: 'set_reminder', callId: 'c1', output: '{"ok":true}', modality: null });
    session.state('disconnected');
    session.emit('reset', { resumedFrom: null });
    session.emit('item', item('u2', 'user', 'Tell me a joke about penguins'));
    session.state('disconnected');
    await rec.flush();
    assert.equal((await store.list()).length, 2);
    const hits = await store.list('BASIL');
    assert.equal(hits.length, 1);
    assert.match(hits[0]!.snippet, /basil/i);
    assert.equal((await store.list('penguin'))[0]!.title, 'Tell me a joke about penguins');
    assert.deepEqual(await store.list('nothing like this'), []);
    const md = toMarkdown(hits[0]!, (await store.get(hits[0]!.id))!.items);
    assert.match(md, /^# Remind me to water the basil/);
    assert.match(md, /\*\*Tool call\*\* `set_reminder`[\s\S]*"what":"water the basil"[\s\S]*Result:[\s\S]*"ok":true/);
    assert.match(exportFileName(hits[0]!), /^hark-2026-11-25-remind-me-to-water-the-basil.*\.md$/);
    assert.equal(await store.delete(hits[0]!.id), true);
    assert.equal((await store.list()).length, 1);
    assert.equal(await store.deleteAll(), 1);
    assert.deepEqual(await store.list(), []);
  });

  test('retention deletes old conversations at open; the off switch records nothing', async () => {
    const dir = fresh();
    const store = new HistoryStore({ dir, now });
    await store.open(null);
    const { session, rec } = recorderOn(store);
    session.emit('item', item('u1', 'user', 'old'));
    await rec.flush();
    clock += 40 * 86_400_000;
    const later = new HistoryStore({ dir, now });
    await later.open(30);
    assert.deepEqual(await later.list(), []);
    const off = recorderOn(later, false);
    off.session.emit('item', item('u9', 'user', 'private'));
    off.usage.emit('response', { responseId: 'r', usage: zeroUsage(), costUsd: 0 });
    off.session.state('listening');
    await off.rec.flush();
    assert.deepEqual(readdirSync(dir), []);
  });

  test('with "save audio" on, the reply audio is kept as a WAV next to the transcript, and deleted with it', async () => {
    const dir = fresh();
    const store = new HistoryStore({ dir, now });
    await store.open(null);
    const session = new FakeSession();
    const rec = new HistoryRecorder({ session: session as never, store, settings: () => ({ enabled: true, saveAudio: true, retentionDays: null }), model: () => 'm', now });
    const pcm = Buffer.alloc(4800, 1); // 100 ms
    session.emit('audio', { itemId: 'a1', pcm });
    session.emit('audio', { itemId: 'a1', pcm });
    session.emit('item', item('a1', 'assistant', 'Spoken reply'));
    session.state('listening');
    await rec.flush();
    await rec.flush(); // the audio record is written right after the WAV
    const [id] = (await store.list()).map((h) => h.id);
    const wav = readFileSync(join(dir, `${id}.audio`, 'a1.wav'));
    assert.equal(wav.subarray(0, 4).toString(), 'RIFF');
    assert.equal(wav.readUInt32LE(24), 24_000);
    assert.equal(wav.length, 44 + 9600);
    assert.match(readFileSync(join(dir, `${id}.jsonl`), 'utf8'), /"t":"audio","at":\d+,"itemId":"a1","file":"[^"]+\.audio\/a1\.wav"/);
    await store.delete(id!);
    assert.deepEqual(readdirSync(dir), []);
  });

  test('ids from the window cannot reach outside the history folder', async () => {
    const store = new HistoryStore({ dir: fresh(), now });
    await store.open(null);
    assert.equal(await store.get('../../etc/passwd'), null);
    assert.equal(await store.delete('../x'), false);
  });
});
