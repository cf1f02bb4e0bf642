// response.create racing the server's own VAD replies, over 1,000 seeded schedules: typed messages
// and spoken turns interleave with replies whose response.created comes late, and the server
// refuses overlapping creates with conversation_already_has_active_response (naming the active
// response, as it does), and echoes each create's response.metadata in its response.created (null
// for the replies its VAD starts), as the real one does. Every user turn must be answered, and no context answered twice.
//
// The server here is a small model of the real one's ordering rules (one active response, events
// handled in order, a reply sees the items added before it started), run as a discrete-event
// schedule so 1,000 seeds take a second; the wire itself is covered against the simulator.
// HARK_RACE_SEEDS sets the count (npm test and `npm run soak`: 1,000).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RealtimeSession } from '../../main/realtime/session';
import { settingsSchema } from '../../common/settings/settings-schema';
import { ToolRegistry } from '../../main/tools/tool-registry';
import { FakeTransport } from '../support/fake-transport';

const SEEDS = Number(process.env.HARK_RACE_SEEDS ?? 1000);
const TRACE = process.env.HARK_RACE_TRACE === '1';
const FIRST = Number(process.env.HARK_RACE_FIRST ?? 1);

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Reply {
  id: string;
  /** The client cancelled it before it ended (as it does a reply its create sent in vain). */
  cancelled?: boolean;
  /** Its message, once added; the client may delete it (a reply it does not want, already spoken). */
  itemId?: string;
  deleted?: boolean;
  /** The items the reply saw: those added before it started. */
  saw: string[];
}

/** One seeded schedule: the model server, the client session, and the clock between them. */
class Schedule {
  private now = 0;
  private readonly queue: Array<{ at: number; seq: number; fn: () => void }> = [];
  private seq = 0;
  private readonly items: string[] = [];
  private readonly userItems: string[] = [];
  private active: Reply | null = null;
  readonly replies: Reply[] = [];
  readonly refusals: string[] = [];
  private n = 0;
  readonly transport = new FakeTransport();
  readonly session: RealtimeSession;

  /** `echo: false`: a server that echoes no response.metadata (the field absent), matched by order alone. */
  constructor(
    private readonly rand: () => number,
    private readonly echo = true,
  ) {
    this.session = new RealtimeSession({
      settings: settingsSchema.parse({ endpoint: { kind: 'custom', url: 'ws://127.0.0.1:9/v1/realtime' } }),
      apiKey: 'sk-test-CANARY-000000',
      tools: new ToolRegistry([]),
      createTransport: () => this.transport,
    });
    const send = this.transport.send.bind(this.transport);
    this.transport.send = (e: object) => {
      const ok = send(e);
      // The client's event reaches the server after a little latency, in order.
      if (ok) {
        // TCP keeps the client's order too.
        const at = Math.max(this.now + this.latency(), this.lastArrival);
        this.lastArrival = at;
        this.queue.push({ at, seq: this.seq++, fn: () => this.onClient(e as Record<string, any>) });
      }
      return ok;
    };
  }

  private latency(): number {
    return 1 + Math.floor(this.rand() * 3);
  }

  at(delay: number, fn: () => void): void {
    this.queue.push({ at: this.now + delay, seq: this.seq++, fn });
  }

  /** Server → client, after latency; event order on the socket is kept. */
  private lastDelivery = 0;
  private lastArrival = 0;
  private toClient(e: Record<string, unknown>): void {
    const at = Math.max(this.now + this.latency(), this.lastDelivery);
    this.lastDelivery = at;
    this.queue.push({
      at,
      seq: this.seq++,
      fn: () => {
        if (TRACE) console.log(`${this.now} s->c ${e.type} ${JSON.stringify(e).slice(0, 160)}`);
        this.transport.deliver({ event_id: `event_${this.n++}`, ...e });
      },
    });
  }

  run(): void {
    while (this.queue.length) {
      this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.queue.shift()!;
      this.now = next.at;
      next.fn();
    }
  }

  async connect(): Promise<void> {
    const connected = this.session.connect();
    await Promise.resolve();
    this.transport.deliver({ type: 'session.created', event_id: 'event_sc', session: { id: 'sess', expires_at: 0 } });
    this.transport.deliver({ type: 'session.updated', event_id: 'event_su', session: {} });
    await connected;
  }

  /** A spoken turn: the server commits it and its VAD starts a reply (or cannot, if one runs). */
  vadTurn(): void {
    const id = `item_vad_${this.n++}`;
    this.items.push(id);
    this.userItems.push(id);
    this.toClient({ type: 'input_audio_buffer.speech_started', item_id: id, audio_start_ms: 0 });
    this.toClient({ type: 'input_audio_buffer.speech_stopped', item_id: id, audio_end_ms: 500 });
    this.toClient({ type: 'input_audio_buffer.committed', item_id: id, previous_item_id: null });
    this.toClient({ type: 'conversation.item.added', previous_item_id: null, item: { id, type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio', transcript: null }] } });
    if (this.active) this.refuse(null);
    else this.startReply();
  }

  private refuse(eventId: string | null): void {
    this.refusals.push(eventId ?? 'vad');
    this.toClient({ type: 'error', error: { type: 'invalid_request_error', code: 'conversation_already_has_active_response', message: `Conversation already has an active response in progress: ${this.active!.id}. Wait until the response is finished before creating a new one.`, param: null, event_id: eventId } });
  }

  /** `metadata`: what the create carried; the real server echoes it in response.created (null for its VAD's replies). */
  private startReply(metadata: unknown = null): void {
    const reply: Reply = { id: `resp_${this.n++}`, saw: [...this.items] };
    if (TRACE) console.log(`${this.now} server starts ${reply.id} seeing ${reply.saw.join(',')}`);
    this.active = reply;
    this.replies.push(reply);
    // response.created may come late (the model is "thinking"), and the reply takes a while.
    this.at(Math.floor(this.rand() * 6), () => {
      this.toClient({ type: 'response.created', response: { id: reply.id, status: 'in_progress', output: [], ...(this.echo ? { metadata } : {}) } });
      // Its message comes first (the real server adds it before the audio), then the reply ends.
      this.at(Math.floor(this.rand() * 2), () => {
        if (reply.cancelled) return;
        reply.itemId = `item_out_${this.n++}`;
        this.items.push(reply.itemId);
        const item = { id: reply.itemId, type: 'message', role: 'assistant', status: 'in_progress', content: [] };
        this.toClient({ type: 'response.output_item.added', response_id: reply.id, output_index: 0, item });
        this.toClient({ type: 'conversation.item.added', previous_item_id: null, item });
      });
      this.at(2 + Math.floor(this.rand() * 8), () => {
        if (reply.cancelled) return;
        this.active = null;
        this.toClient({ type: 'response.done', response: { id: reply.id, status: 'completed', output: [], usage: null } });
      });
    });
  }

  private onClient(e: Record<string, any>): void {
    if (TRACE) console.log(`${this.now} c->s ${e.type} ${e.event_id} ${e.item?.id ?? ''} active=${this.active?.id}`);
    if (e.type === 'conversation.item.create') {
      const id = e.item.id as string;
      this.items.push(id);
      if (e.item.role === 'user') this.userItems.push(id);
      this.toClient({ type: 'conversation.item.added', previous_item_id: null, item: { ...e.item, status: 'completed' } });
    } else if (e.type === 'conversation.item.delete') {
      const at = this.items.indexOf(e.item_id);
      if (at >= 0) this.items.splice(at, 1);
      const reply = this.replies.find((r) => r.itemId === e.item_id);
      if (reply) reply.deleted = true;
      this.toClient({ type: 'conversation.item.deleted', item_id: e.item_id });
    } else if (e.type === 'response.cancel') {
      if (!this.active || this.active.id !== e.response_id) {
        this.toClient({ type: 'error', error: { type: 'invalid_request_error', code: 'response_cancel_not_active', message: 'Cancellation failed: no active response found', param: null, event_id: e.event_id } });
      } else {
        const reply = this.active;
        reply.cancelled = true;
        this.active = null;
        this.toClient({ type: 'response.done', response: { id: reply.id, status: 'cancelled', output: [], usage: null } });
      }
    } else if (e.type === 'response.create') {
      if (this.active) this.refuse(e.event_id);
      else this.startReply(e.response?.metadata ?? null);
    }
  }

  /** Turns no reply saw, and replies that saw no user turn the one before had not. */
  verdict(): { unanswered: string[]; duplicates: string[] } {
    // A reply the client cancelled before it spoke, or whose message it deleted unplayed, answers
    // nothing: the user neither hears nor sees it, and the next reply does not see it.
    const replies = this.replies.filter((r) => !((r.cancelled && !r.itemId) || r.deleted));
    const lastSeen = new Set(replies.flatMap((r) => r.saw));
    const unanswered = this.userItems.filter((u) => !lastSeen.has(u));
    const duplicates: string[] = [];
    for (let k = 1; k < replies.length; k++) {
      const before = new Set(replies[k - 1]!.saw.filter((i) => this.userItems.includes(i)));
      const now = replies[k]!.saw.filter((i) => this.userItems.includes(i));
      if (now.every((i) => before.has(i))) duplicates.push(replies[k]!.id);
    }
    return { unanswered, duplicates };
  }
}

async function race(seed: number, echo = true): Promise<{ unanswered: string[]; duplicates: string[]; creates: number; refusals: number; phase: string }> {
  const rand = rng(seed);
  const s = new Schedule(rand, echo);
  await s.connect();
  const actions = 2 + Math.floor(rand() * 4);
  for (let k = 0; k < actions; k++) {
    const when = Math.floor(rand() * 25);
    if (rand() < 0.5) s.at(when, () => s.vadTurn());
    else s.at(when, () => void s.session.sendText(`typed ${k}`));
  }
  s.run();
  const v = s.verdict();
  // And the client shows none of a reply it discarded.
  const shown = new Set(s.session.conversation.items().map((i) => i.id));
  const discarded = s.replies.filter((r) => r.itemId && r.deleted && shown.has(r.itemId));
  if (discarded.length) v.duplicates.push(...discarded.map((r) => `${r.id} (discarded, yet shown)`));
  const out = { ...v, creates: s.transport.sent.filter((e) => e.type === 'response.create').length, refusals: s.refusals.length, phase: s.session.state.phase };
  s.session.disconnect();
  return out;
}

describe('response.create races', () => {
  test(`${SEEDS} seeded races: every turn answered, no context answered twice, nothing left waiting`, { timeout: 300_000 }, async () => {
    const bad: string[] = [];
    let creates = 0;
    let refusals = 0;
    const tally = { unanswered: 0, duplicated: 0, stuck: 0 };
    for (let seed = FIRST; seed < FIRST + SEEDS; seed++) {
      const r = await race(seed);
      creates += r.creates;
      refusals += r.refusals;
      if (r.unanswered.length) tally.unanswered++;
      if (r.duplicates.length) tally.duplicated++;
      if (r.phase !== 'listening') tally.stuck++;
      if (r.unanswered.length || r.duplicates.length || r.phase !== 'listening') bad.push(`seed ${seed}: unanswered ${r.unanswered.length}, duplicates ${r.duplicates.length}, phase ${r.phase}`);
    }
    console.log(`${SEEDS} races: ${creates} creates sent, ${refusals} refusals by the server; seeds with an unanswered turn ${tally.unanswered}, with a duplicate reply ${tally.duplicated}, left waiting ${tally.stuck}`);
    assert.equal(tally.unanswered, 0, bad.slice(0, 5).join('\n'));
    assert.equal(tally.stuck, 0, bad.slice(0, 5).join('\n'));
    // Every intended reply exactly once: 294 of 1,000 seeds failed before the ledger, and 16 still
    // did while response.created was matched to creates by order alone (before its metadata).
    assert.equal(tally.duplicated, 0, bad.slice(0, 5).join('\n'));
  });

  test(`${SEEDS} races with a server that echoes no metadata: every turn answered and nothing left waiting; duplicates bounded`, { timeout: 300_000 }, async () => {
    const tally = { unanswered: 0, duplicated: 0, stuck: 0 };
    for (let seed = FIRST; seed < FIRST + SEEDS; seed++) {
      const r = await race(seed, false);
      if (r.unanswered.length) tally.unanswered++;
      if (r.duplicates.length) tally.duplicated++;
      if (r.phase !== 'listening') tally.stuck++;
    }
    console.log(`${SEEDS} races without metadata echo: unanswered ${tally.unanswered}, duplicated ${tally.duplicated}, left waiting ${tally.stuck}`);
    assert.equal(tally.unanswered, 0);
    assert.equal(tally.stuck, 0);
    // Without the echo a crossed create cannot be told from the turn's own reply, so the order
    // decides and a few crossings still answer twice.
    assert.ok(tally.duplicated <= SEEDS * 0.02, `${tally.duplicated} of ${SEEDS}`);
  });
});
