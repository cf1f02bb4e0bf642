// The session's responses: which one is active, the replies owed (response-creates.ts keeps the
// create on the wire), the tool calls each response makes, their outputs, and the follow-up a
// finished tool call is owed. It reports what changed; the facade decides the phase from it.
import type { UsageTotals } from '../../preload/api';
import type { Settings } from '../../common/settings/settings-schema';
import type { ToolRegistry } from '../tools/tool-registry';
import { fromResponseUsage } from '../usage/usage-math';
import type { Conversation } from './conversation';
import { obj, str } from './event-fields';
import { keepNewest } from './keep-newest';
import { ResponseCreates, type CreatePolicy } from './response-creates';
import type { SessionPort } from './session-port';
import type { TimerSet } from './timer-set';

interface ResponseInfo {
  id: string;
  done: boolean;
  status: string;
  /** Tool calls of this response still running. */
  toolsRunning: number;
  /** Tool outputs this response's calls produced (a follow-up response is due). */
  toolOutputs: number;
  /** The server created it by itself after an idle timeout (a nudge), not in answer to a turn. */
  idle?: boolean;
  /** The last of those outputs: the follow-up must see it. */
  lastOutputId?: string;
}

export interface QueueHost {
  settings(): Settings;
  /** Bumped for every socket: a tool output of an older one would reference an unknown call. */
  connection(): number;
  ready(): boolean;
  /** The user interrupted this response: its calls are not run. */
  isDropped(responseId: string): boolean;
  /** A tool call started running. */
  toolStarted(): void;
  /** Something the phase depends on changed. */
  changed(): void;
  usage(totals: UsageTotals): void;
  ended(response: { id: string; status: string; usage: UsageTotals; error?: string; idle?: boolean }): void;
}

export class ResponseQueue {
  private active: string | null = null;
  /** Owed replies and the create on the wire (see response-creates.ts). */
  readonly creates: ResponseCreates;
  private readonly responses = new Map<string, ResponseInfo>();
  private readonly startedCalls = new Set<string>();
  /** Typed messages whose reply waits for the server to confirm them. */
  private readonly awaitingAdded = new Set<string>();
  /** An idle nudge's reply is still to come. */
  private nudgeDue = false;
  /** The connection died owing the user a reply; the next session asks for it after the replay. */
  private replyOwed = false;

  constructor(
    private readonly port: SessionPort,
    private readonly host: QueueHost,
    private readonly conversation: Conversation,
    private readonly tools: ToolRegistry,
    timers: TimerSet,
    policy: CreatePolicy,
  ) {
    this.creates = new ResponseCreates(
      {
        sendCreate: (metadata) => port.send({ type: 'response.create', response: { metadata } }),
        busy: () => this.active !== null,
        notice: (level, message, code) => port.notice(level, message, code),
        changed: () => host.changed(),
      },
      timers,
      policy,
    );
  }

  /** The response being generated now, if any. */
  get activeId(): string | null {
    return this.active;
  }

  /** Nothing is generating, asked for, owed or running a tool. */
  get idle(): boolean {
    return !this.active && !this.creates.inFlight && !this.creates.pending && this.runningTools() === 0;
  }

  /** At most one response is active; a request while one is busy waits for its response.done. */
  request(mustSee: string | null = null): void {
    this.creates.request(mustSee);
  }

  /** A typed message was sent: its reply is asked for once the server confirms the item. */
  awaitAdded(itemId: string): void {
    this.awaitingAdded.add(itemId);
  }

  /** The server confirmed a message item. */
  messageAdded(itemId: string): void {
    if (this.awaitingAdded.delete(itemId)) this.request(itemId);
  }

  /** The server nudged an idle user: the next response is its own, not an answer to a turn. */
  nudged(): void {
    this.nudgeDue = true;
  }

  /**
   * A response started (`metadata`: its response.metadata). Returns false for one of ours nobody
   * wants any more (see response-creates.ts): the caller cancels and hides it; it never becomes active.
   */
  created(id: string, metadata?: unknown): boolean {
    if (!this.creates.responseCreated(id, metadata)) return false;
    this.active = id;
    this.responses.set(id, { id, done: false, status: 'in_progress', toolsRunning: 0, toolOutputs: 0, ...(this.nudgeDue ? { idle: true } : {}) });
    // Needed only while a response can still send events; a long conversation has thousands.
    keepNewest(32, this.responses);
    this.nudgeDue = false;
    return true;
  }

  done(response: Record<string, unknown>): void {
    const id = str(response.id);
    const status = str(response.status) || 'completed';
    const info = this.responses.get(id) ?? { id, done: false, status, toolsRunning: 0, toolOutputs: 0 };
    info.done = true;
    info.status = status;
    this.responses.set(id, info);
    if (this.active === id) this.active = null;
    this.creates.responseDone(id);
    const usage = fromResponseUsage(response.usage as never);
    this.conversation.addUsage(usage);
    this.host.usage({ ...this.conversation.usage });
    let error: string | undefined;
    if (status === 'failed') {
      error = str(obj(obj(response.status_details).error).message) || 'The model could not finish its reply.';
      this.port.notice('error', `The reply failed: ${error}`, 'response_failed');
    }
    const finalStatus = status === 'completed' ? 'completed' : status === 'failed' ? 'failed' : 'interrupted';
    for (const item of this.conversation.items()) {
      if (item.responseId === id && item.status === 'in_progress') this.conversation.upsert(item.id, { status: finalStatus });
    }
    this.host.ended({ id, status, usage, ...(error ? { error } : {}), ...(info.idle ? { idle: true } : {}) });
    this.afterResponse(info);
  }

  /** A function_call output item was added or finished. */
  outputCall(responseId: string, item: Record<string, unknown>, done: boolean): void {
    const id = str(item.id);
    const callId = str(item.call_id);
    const name = str(item.name);
    if (!done) {
      this.conversation.upsert(id, { role: 'tool', type: 'function_call', modality: null, responseId, callId, name, arguments: '', status: 'in_progress', text: name });
      return;
    }
    const args = typeof item.arguments === 'string' ? item.arguments : (this.conversation.get(id)?.arguments ?? '');
    this.conversation.upsert(id, { arguments: args, status: item.status === 'completed' ? 'completed' : 'interrupted' });
    // Some servers send no arguments.done; the finished item carries the same information.
    if (item.status === 'completed') this.startToolCall(responseId, callId, name, args);
  }

  argumentsDelta(responseId: string, itemId: string, delta: string): void {
    const item = this.conversation.get(itemId);
    if (item && !this.host.isDropped(responseId)) this.conversation.upsert(item.id, { arguments: (item.arguments ?? '') + delta });
  }

  argumentsDone(e: Record<string, unknown>): void {
    const id = str(e.item_id);
    const args = str(e.arguments);
    this.conversation.upsert(id, { arguments: args });
    const item = this.conversation.get(id);
    const name = typeof e.name === 'string' ? e.name : item?.name;
    const callId = typeof e.call_id === 'string' ? e.call_id : item?.callId;
    if (name && callId) this.startToolCall(str(e.response_id), callId, name, args);
  }

  /** rate_limits.updated: a refused create waits for the token limit's reset. */
  rateLimits(limits: unknown): void {
    const tokens = (Array.isArray(limits) ? limits : []).map(obj).find((l) => l.name === 'tokens');
    if (tokens) this.creates.rateLimitReset(Number(tokens.reset_seconds));
    if (tokens && tokens.remaining === 0) {
      this.port.notice('warning', `The token rate limit is used up; it resets in about ${Math.ceil(Number(tokens.reset_seconds) || 1)} s.`, 'rate_limited');
    }
  }

  runningTools(): number {
    let n = 0;
    for (const r of this.responses.values()) n += r.toolsRunning;
    return n;
  }

  /**
   * The connection died: the active response is cut (its unfinished items marked so), and whether
   * the replayed conversation is owed a reply is remembered. Returns the cut response.
   */
  abandon(): string | null {
    const rid = this.active;
    if (rid) {
      for (const item of this.conversation.items()) {
        if (item.responseId === rid && item.status === 'in_progress') this.conversation.upsert(item.id, { status: 'interrupted' });
      }
    }
    return rid;
  }

  /** Called last when a connection is lost, once every item of it has its final status. */
  rememberOwed(cut: string | null): void {
    this.replyOwed = this.owesReply(cut);
  }

  /** The user disconnected: nothing is owed. */
  forgetOwed(): void {
    this.replyOwed = false;
  }

  /** A new session is ready and carries the conversation: ask for the reply it was owed, after the replay. */
  askOwed(): void {
    if (!this.replyOwed) return;
    // After the replay (the server handles events in order, so the reply sees all of it).
    this.replyOwed = false;
    this.request(null);
  }

  /** The socket is gone or replaced: nothing of it is active or awaited any more. */
  reset(): void {
    this.active = null;
    this.creates.setReady(false);
    this.awaitingAdded.clear();
    this.nudgeDue = false;
  }

  /** The one place that decides what follows a response: tool follow-up, queued create, or rest. */
  private afterResponse(info: ResponseInfo): void {
    if (info.done && info.toolsRunning === 0 && info.toolOutputs > 0 && info.status === 'completed') {
      info.toolOutputs = 0;
      this.request(info.lastOutputId);
    } else {
      this.creates.flush();
    }
    this.host.changed();
  }

  private startToolCall(responseId: string, callId: string, name: string, args: string): void {
    const info = this.responses.get(responseId);
    // A call of a response this session never saw created has no reply to feed: it is not run.
    if (!info || this.startedCalls.has(callId) || this.host.isDropped(responseId)) return;
    this.startedCalls.add(callId);
    info.toolsRunning++;
    const gen = this.host.connection();
    this.host.toolStarted();
    void this.tools.run(name, args, this.host.settings().toolTimeoutMs, callId).then((result) => {
      if (info) info.toolsRunning--;
      const id = this.port.newId();
      this.conversation.upsert(id, { role: 'tool', type: 'function_call_output', modality: null, callId, name, output: result.output, text: name, status: result.ok ? 'completed' : 'failed' });
      // An output for a call of a dead connection would reference an unknown call_id.
      if (gen !== this.host.connection() || !this.host.ready()) return;
      if (this.port.send({ type: 'conversation.item.create', item: { id, type: 'function_call_output', call_id: callId, output: result.output } })) this.creates.itemSent(id);
      if (info) {
        info.toolOutputs++;
        info.lastOutputId = id;
        if (info.done) this.afterResponse(info);
      }
    });
  }

  /**
   * Whether the conversation, as it will be replayed, ends without its answer: a reply was running
   * or asked for, or the last thing said is the user's (or a tool's), or the reply cut just now.
   */
  private owesReply(cut: string | null): boolean {
    if (this.creates.inFlight || this.creates.pending) return true;
    const last = [...this.conversation.items()].reverse().find((i) => i.status !== 'failed' && (i.type === 'message' || i.type === 'function_call_output'));
    if (!last) return false;
    if (last.role === 'assistant') return cut !== null && last.responseId === cut;
    return last.type === 'function_call_output' || last.status === 'completed';
  }
}
