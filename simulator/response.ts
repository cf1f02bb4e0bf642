import type { RealtimeResponseUsage } from 'openai/resources/realtime/realtime';
import { corruptBase64, splitArguments, type Faults } from './faults';
import { newCallId, newId, obfuscation } from './ids';
import { encodePcm16, msToSamples, replyTone, samplesToMs } from './pcm';
import { defaultAudioMs, wordDeltas, type Reply } from './replies';
import { isReasoningModel } from './session';
import type { PcmStamps } from './stamp';

export interface StreamOptions {
  replyDelayMs: number;
  audioChunkMs: number;
  paceFactor: number;
  lateDeltasAfterCancel: number;
  /** Speaks reply text as real speech (24 kHz PCM16); without it the reply audio is replyTone. */
  speak?: (text: string) => Promise<Int16Array>;
  /** Benchmark latency stamps written into each delta (simulator/stamp.ts). */
  stamps?: PcmStamps;
}

/** What a response needs from its connection; kept narrow so the stream logic stays testable by reading. */
export interface ResponseHost {
  send(event: Record<string, any>): void;
  readonly streamOptions: StreamOptions;
  readonly faults: Faults;
  readonly rand: () => number;
  readonly session: Record<string, any>;
  readonly conversationId: string;
  beforeResponseCreated(): void;
  /** Appends an item to the conversation; returns its previous_item_id. */
  addItem(item: Record<string, any>): string | null;
  /** Replaces the stored copy of an item (same id) and records how much audio it has. */
  updateItem(item: Record<string, any>, audioMs?: number): void;
  previousItemId(itemId: string): string | null;
  inputTokens(): { text: number; audio: number; cached: number };
  /** Called once, right after response.done. */
  responseFinished(run: ResponseRun, usage: RealtimeResponseUsage): void;
}

export type CancelReason = 'turn_detected' | 'client_cancelled';

interface OpenMessage {
  kind: 'message';
  item: Record<string, any>;
  outputIndex: number;
  audio: boolean;
  partAdded: boolean;
  transcript: string;
  audioTotalMs: number;
  audioSentMs: number;
  /** The spoken reply, when the simulator speaks; null: the tone. */
  speech: Int16Array | null;
}

interface OpenCall {
  kind: 'function_call';
  item: Record<string, any>;
  outputIndex: number;
  argsSent: string;
  /** The whole arguments, for .done (with argSplit "none" no delta carries them). */
  args?: string;
}

export class ResponseRun {
  readonly id = newId('resp');
  finished = false;
  private created = false;
  private output: Record<string, any>[] = [];
  private open: OpenMessage | OpenCall | null = null;
  private outputTextChars = 0;
  private outputAudioMs = 0;
  private deltaIndex = 0;
  private startedAt = 0;
  private firstAudioAt: number | null = null;
  private readonly modalities: string[];
  private readonly metadata: unknown;
  private readonly voice: string;
  /** 2.x models: items carry `phase`, usage carries reasoning_tokens (inside text tokens). */
  private readonly reasoning: boolean;
  private reasoningTokens = 0;
  /** Calls opened while a preamble still speaks. */
  private readonly nestedCalls: OpenCall[] = [];

  constructor(
    private readonly host: ResponseHost,
    overrides: Record<string, any> | undefined,
  ) {
    this.modalities = overrides?.output_modalities ?? host.session.output_modalities;
    this.metadata = overrides?.metadata ?? null;
    this.voice = overrides?.audio?.output?.voice ?? host.session.audio.output.voice;
    this.reasoning = isReasoningModel(String(host.session.model ?? ''));
  }

  /** When the client will have played everything sent, assuming it starts playing on the first delta. */
  get playbackEndsAt(): number {
    return this.firstAudioAt === null ? performance.now() : this.firstAudioAt + this.outputAudioMs;
  }

  get audioMode(): boolean {
    return this.modalities.includes('audio');
  }

  private responseObject(status: string, statusDetails: unknown, usage: RealtimeResponseUsage | null): Record<string, any> {
    return {
      object: 'realtime.response',
      id: this.id,
      status,
      status_details: statusDetails,
      output: structuredClone(this.output),
      conversation_id: this.host.conversationId,
      output_modalities: this.modalities,
      max_output_tokens: this.host.session.max_output_tokens,
      audio: { output: { format: this.host.session.audio.output.format, voice: this.voice } },
      usage,
      metadata: this.metadata,
    };
  }

  private sendCreated(): void {
    if (this.created) return;
    this.created = true;
    this.host.beforeResponseCreated();
    this.host.send({ type: 'response.created', response: this.responseObject('in_progress', null, null) });
  }

  /** Waits until `dueMs` of reply audio should have been sent, at paceFactor × real time; always yields so client events interleave. */
  private async pace(dueMs: number): Promise<void> {
    const pace = this.host.streamOptions.paceFactor;
    const wait = Number.isFinite(pace) && pace > 0 ? this.startedAt + dueMs / pace - performance.now() : 0;
    await new Promise<void>((resolve) => (wait > 1 ? setTimeout(resolve, wait) : setImmediate(resolve)));
  }

  /** Streams the reply; returns early (without further events) once cancelled. */
  async run(reply: Promise<Reply>): Promise<void> {
    const r = await reply;
    const delay = this.host.streamOptions.replyDelayMs;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (this.finished) return;
    this.sendCreated();
    this.startedAt = performance.now();
    if (r.fail) {
      this.finish('failed', { type: 'failed', error: { type: 'server_error', code: r.fail.code, message: r.fail.message } });
      return;
    }
    const calls = r.toolCalls ?? [];
    // As recorded (reasoning_tokens inside text output): effort-independent, a plausible few dozen.
    if (this.reasoning) this.reasoningTokens = 20 + Math.ceil((r.text ?? '').length / 8);
    if (this.reasoning && r.text !== undefined && calls.length > 0) {
      // 2.x: the spoken preamble and the call in ONE response; the call's item is added and its
      // arguments stream while the preamble is still open (fixtures/realtime-replay/preamble-tool.json).
      const speech = r.audio ?? (await this.speechFor(r.text));
      if (this.finished) return;
      await this.streamMessage(r.text, speech ? samplesToMs(speech.length) : (r.audioMs ?? defaultAudioMs(r.text)), 'commentary', calls, speech);
      return void (!this.finished && this.finish('completed', null));
    }
    if (r.text !== undefined || calls.length === 0) {
      const text = r.text ?? '';
      // A reply's own audio (Reply.audio) wins over the synthesized voice.
      const speech = r.audio ?? (await this.speechFor(text));
      if (this.finished) return;
      await this.streamMessage(text, speech ? samplesToMs(speech.length) : (r.audioMs ?? defaultAudioMs(text)), calls.length > 0 ? 'commentary' : 'final_answer', [], speech);
    }
    for (const call of calls) {
      if (this.finished) return;
      await this.streamCall(call);
    }
    if (!this.finished) this.finish('completed', null);
  }

  /** The reply as real speech when the host speaks (the demo), else null (a tone of the reply's length). */
  private async speechFor(text: string): Promise<Int16Array | null> {
    const speak = this.host.streamOptions.speak;
    return speak && this.audioMode && text ? speak(text) : null;
  }

  private addOutputItem(item: Record<string, any>): number {
    const outputIndex = this.output.length;
    this.output.push(structuredClone(item));
    this.host.send({ type: 'response.output_item.added', response_id: this.id, output_index: outputIndex, item: structuredClone(item) });
    this.host.send({ type: 'conversation.item.added', previous_item_id: this.host.addItem(structuredClone(item)), item: structuredClone(item) });
    return outputIndex;
  }

  private async streamMessage(
    text: string,
    audioMs: number,
    phase: 'commentary' | 'final_answer',
    during: { name: string; arguments: string; callId?: string }[] = [],
    speech: Int16Array | null = null,
  ): Promise<void> {
    const item: Record<string, any> = { id: newId('item'), type: 'message', status: 'in_progress', role: 'assistant', content: [], ...(this.reasoning ? { phase } : {}) };
    const open: OpenMessage = {
      kind: 'message', item, outputIndex: this.addOutputItem(item), audio: this.audioMode,
      partAdded: false, transcript: '', audioTotalMs: this.audioMode ? audioMs : 0, audioSentMs: 0, speech,
    };
    this.open = open;
    const ids = { response_id: this.id, item_id: item.id, output_index: open.outputIndex, content_index: 0 };
    this.host.send({ type: 'response.content_part.added', ...ids, part: open.audio ? { type: 'audio', transcript: '' } : { type: 'text', text: '' } });
    open.partAdded = true;
    const words = wordDeltas(text);
    if (!open.audio) {
      const perWordMs = defaultAudioMs(text) / Math.max(1, words.length);
      for (const [i, word] of words.entries()) {
        this.sendWord(open, word);
        await this.pace((i + 1) * perWordMs);
        if (this.finished) return;
      }
      this.closeMessage(open, 'completed');
      return;
    }
    // Transcript leads: before each audio chunk, every word whose share of the text has begun is sent.
    const chunkMs = this.host.streamOptions.audioChunkMs;
    const chunks = Math.ceil(audioMs / chunkMs);
    let wordsSent = 0;
    const calls: OpenCall[] = [];
    for (let k = 0; k < chunks; k++) {
      const due = Math.ceil(((k + 1) * words.length) / chunks);
      while (wordsSent < due) this.sendWord(open, words[wordsSent++]!);
      this.sendAudioChunk(open);
      // Half-way through the preamble the calls start: item added, argument deltas streamed.
      if (during.length > 0 && calls.length === 0 && k >= Math.floor(chunks / 2)) {
        for (const c of during) calls.push(this.openCall(c, true));
      }
      await this.pace(open.audioSentMs);
      if (this.finished) return;
    }
    while (wordsSent < words.length) this.sendWord(open, words[wordsSent++]!);
    if (during.length > 0 && calls.length === 0) for (const c of during) calls.push(this.openCall(c, true));
    this.closeMessage(open, 'completed');
    for (const c of calls) this.closeCall(c);
  }

  private sendWord(open: OpenMessage, word: string): void {
    open.transcript += word;
    this.outputTextChars += word.length;
    const ids = { response_id: this.id, item_id: open.item.id, output_index: open.outputIndex, content_index: 0 };
    const type = open.audio ? 'response.output_audio_transcript.delta' : 'response.output_text.delta';
    this.host.send({ type, ...ids, delta: word, obfuscation: obfuscation(this.host.rand) });
  }

  private sendAudioChunk(open: OpenMessage): void {
    const ms = Math.min(this.host.streamOptions.audioChunkMs, open.audioTotalMs - open.audioSentMs);
    if (ms <= 0) return;
    const samples = open.speech ? open.speech.subarray(msToSamples(open.audioSentMs), msToSamples(open.audioSentMs + ms)) : replyTone(open.audioSentMs, ms);
    const stamps = this.host.streamOptions.stamps;
    let delta = encodePcm16(stamps ? stamps.stampReply(samples, this.id) : samples);
    if (this.host.faults.badBase64) delta = corruptBase64(delta, this.deltaIndex);
    this.deltaIndex++;
    this.firstAudioAt ??= performance.now();
    open.audioSentMs += ms;
    this.outputAudioMs += ms;
    this.host.updateItem(this.itemSnapshot(open, 'in_progress'), open.audioSentMs);
    const ids = { response_id: this.id, item_id: open.item.id, output_index: open.outputIndex, content_index: 0 };
    this.host.send({ type: 'response.output_audio.delta', ...ids, delta, obfuscation: obfuscation(this.host.rand) });
  }

  private itemSnapshot(open: OpenMessage, status: string): Record<string, any> {
    const content = open.audio ? { type: 'output_audio', transcript: open.transcript } : { type: 'output_text', text: open.transcript };
    return { id: open.item.id, type: 'message', status, role: 'assistant', content: [content], ...(open.item.phase ? { phase: open.item.phase } : {}) };
  }

  private closeMessage(open: OpenMessage, status: 'completed' | 'incomplete'): void {
    const ids = { response_id: this.id, item_id: open.item.id, output_index: open.outputIndex, content_index: 0 };
    if (open.partAdded) {
      if (open.audio) {
        this.host.send({ type: 'response.output_audio.done', ...ids });
        this.host.send({ type: 'response.output_audio_transcript.done', ...ids, transcript: open.transcript });
        this.host.send({ type: 'response.content_part.done', ...ids, part: { type: 'audio', transcript: open.transcript } });
      } else {
        this.host.send({ type: 'response.output_text.done', ...ids, text: open.transcript });
        this.host.send({ type: 'response.content_part.done', ...ids, part: { type: 'text', text: open.transcript } });
      }
    }
    const item = open.partAdded ? this.itemSnapshot(open, status) : { ...open.item, status };
    this.closeItem(open.outputIndex, item, open.audioSentMs);
  }

  private closeItem(outputIndex: number, item: Record<string, any>, audioMs?: number): void {
    this.output[outputIndex] = structuredClone(item);
    this.host.updateItem(structuredClone(item), audioMs);
    // The 2026 recordings have previous_item_id null on a response item's conversation.item.done.
    this.host.send({ type: 'conversation.item.done', previous_item_id: this.reasoning ? null : this.host.previousItemId(item.id), item: structuredClone(item) });
    this.host.send({ type: 'response.output_item.done', response_id: this.id, output_index: outputIndex, item: structuredClone(item) });
    this.open = null;
  }

  /** A call's item and all its argument deltas, left open (its done events come later). */
  private openCall(call: { name: string; arguments: string; callId?: string }, nested: boolean): OpenCall {
    const item = { id: newId('item'), type: 'function_call', status: 'in_progress', name: call.name, call_id: call.callId ?? newCallId(), arguments: '' };
    const open: OpenCall = { kind: 'function_call', item, outputIndex: this.addOutputItem(item), argsSent: '', args: call.arguments };
    if (!nested) this.open = open;
    else this.nestedCalls.push(open);
    const ids = { response_id: this.id, item_id: item.id, output_index: open.outputIndex, call_id: item.call_id };
    for (const delta of splitArguments(call.arguments, this.host.faults.argSplit, this.host.rand)) {
      open.argsSent += delta;
      this.outputTextChars += delta.length;
      this.host.send({ type: 'response.function_call_arguments.delta', ...ids, delta, obfuscation: obfuscation(this.host.rand) });
    }
    if (this.host.faults.argSplit === 'none') this.outputTextChars += call.arguments.length;
    return open;
  }

  private closeCall(open: OpenCall): void {
    this.nestedCalls.splice(this.nestedCalls.indexOf(open), 1);
    const ids = { response_id: this.id, item_id: open.item.id, output_index: open.outputIndex, call_id: open.item.call_id };
    const args = open.args ?? open.argsSent;
    this.host.send({ type: 'response.function_call_arguments.done', ...ids, name: open.item.name, arguments: args });
    this.closeItem(open.outputIndex, { ...open.item, status: 'completed', arguments: args });
  }

  private async streamCall(call: { name: string; arguments: string; callId?: string }): Promise<void> {
    const item = { id: newId('item'), type: 'function_call', status: 'in_progress', name: call.name, call_id: call.callId ?? newCallId(), arguments: '' };
    const open: OpenCall = { kind: 'function_call', item, outputIndex: this.addOutputItem(item), argsSent: '' };
    this.open = open;
    const ids = { response_id: this.id, item_id: item.id, output_index: open.outputIndex, call_id: item.call_id };
    for (const delta of splitArguments(call.arguments, this.host.faults.argSplit, this.host.rand)) {
      open.argsSent += delta;
      this.outputTextChars += delta.length;
      this.host.send({ type: 'response.function_call_arguments.delta', ...ids, delta, obfuscation: obfuscation(this.host.rand) });
      await this.pace(0);
      if (this.finished) return;
    }
    if (this.host.faults.argSplit === 'none') this.outputTextChars += call.arguments.length;
    this.host.send({ type: 'response.function_call_arguments.done', ...ids, name: call.name, arguments: call.arguments });
    this.closeItem(open.outputIndex, { ...item, status: 'completed', arguments: call.arguments });
  }

  /**
   * Cancels synchronously, so that events the client sends next (or a VAD turn in the same append)
   * already see the response as finished. A couple of audio deltas still go out first: on the real
   * server they are already in flight when the cancel lands.
   */
  cancel(reason: CancelReason): void {
    if (this.finished) return;
    this.sendCreated();
    const open = this.open;
    if (open?.kind === 'message') {
      if (open.audio && open.partAdded) {
        for (let i = 0; i < this.host.streamOptions.lateDeltasAfterCancel; i++) this.sendAudioChunk(open);
      }
      this.closeMessage(open, 'incomplete');
    } else if (open?.kind === 'function_call') {
      this.closeItem(open.outputIndex, { ...open.item, status: 'incomplete', arguments: open.argsSent });
    }
    for (const c of this.nestedCalls.splice(0)) this.closeItem(c.outputIndex, { ...c.item, status: 'incomplete', arguments: c.argsSent });
    this.finish('cancelled', { type: 'cancelled', reason });
  }

  private finish(status: string, statusDetails: unknown): void {
    this.finished = true;
    const usage = this.usage();
    this.host.send({ type: 'response.done', response: this.responseObject(status, statusDetails, usage) });
    this.host.responseFinished(this, usage);
  }

  /** Plausible token counts: text ≈ 4 chars/token, input audio 10 tokens/s, output audio 20 tokens/s (the recorded ratios). */
  private usage(): RealtimeResponseUsage {
    const input = this.host.inputTokens();
    const outText = Math.ceil(this.outputTextChars / 4) + this.reasoningTokens;
    const outAudio = Math.ceil(this.outputAudioMs / 50);
    const inputTokens = input.text + input.audio;
    const cachedText = Math.min(input.text, Math.round((input.cached * input.text) / Math.max(1, inputTokens)));
    return {
      total_tokens: inputTokens + outText + outAudio,
      input_tokens: inputTokens,
      output_tokens: outText + outAudio,
      input_token_details: {
        text_tokens: input.text,
        audio_tokens: input.audio,
        image_tokens: 0,
        cached_tokens: input.cached,
        cached_tokens_details: { text_tokens: cachedText, audio_tokens: input.cached - cachedText, image_tokens: 0 },
      },
      output_token_details: { text_tokens: outText, audio_tokens: outAudio, ...(this.reasoning ? { reasoning_tokens: this.reasoningTokens } : {}) },
    } as RealtimeResponseUsage;
  }
}
