/// <reference path="./assets.d.ts" />
// Main-thread side of the player worklet: owns the node, forwards deltas by transfer, turns the
// worklet's sample counts into the PlayedPosition the session needs for a truncate.
import type { AudioDelta, PlayedPosition } from '../../preload/api';
import type { Level } from './levels';
import { quantaPerLevel } from './levels';
import { PLAYER_PROCESSOR, type PlayerCounters, type PlayerIn, type PlayerOptions, type PlayerOut } from './messages';
import playerWorkletUrl from './player.worklet.ts?worker&url';
import { SAMPLE_RATE as API_RATE } from '../../common/audio-format';

export interface PlayerConfig {
  /**
   * Cap on audio queued ahead of the speaker. The server sends audio faster than real time, so the
   * ring must hold a whole long reply: 120 s = 2.9 M samples = 5.8 MB of PCM16.
   */
  capacityMs?: number;
  /** Jitter cushion before the first sample of a reply (and after an underrun) is played. */
  prebufferMs?: number;
}

export const DEFAULT_CAPACITY_MS = 120_000;
export const DEFAULT_PREBUFFER_MS = 60;

/** Shown by the UI when the user picks a non-default output device. */
export const SINK_WARNING =
  'Playing through a different output device can stop echo cancellation from working, so the assistant may hear itself. Use headphones, or keep the default output.';

export interface InterruptResult extends PlayedPosition {
  /** Context frame of the first silent quantum (for measurements). */
  frame: number;
  playedSamples: number;
}

export interface PlayerEvents {
  level?: (l: Level & { bufferedMs: number }) => void;
  underrun?: (itemId: string | null) => void;
  overflow?: (itemId: string, droppedMs: number) => void;
  started?: (itemId: string, frame: number) => void;
}

export class Player {
  readonly node: AudioWorkletNode;
  private nextRequest = 1;
  private readonly pending = new Map<number, (m: PlayerOut) => void>();
  /** Responses cut by an interrupt: their late deltas must never reach the ring. */
  private readonly cutResponses: string[] = [];
  private readonly liveResponses = new Set<string>();
  events: PlayerEvents = {};

  private constructor(
    readonly context: AudioContext,
    node: AudioWorkletNode,
    readonly volume: GainNode,
  ) {
    this.node = node;
    node.port.onmessage = (e: MessageEvent<PlayerOut>) => this.onMessage(e.data);
  }

  static async create(context: AudioContext, config: PlayerConfig = {}, workletUrl = playerWorkletUrl): Promise<Player> {
    await context.audioWorklet.addModule(workletUrl);
    const processorOptions: PlayerOptions = {
      capacity: Math.round(((config.capacityMs ?? DEFAULT_CAPACITY_MS) * API_RATE) / 1000),
      prebuffer: Math.round(((config.prebufferMs ?? DEFAULT_PREBUFFER_MS) * API_RATE) / 1000),
      levelQuanta: quantaPerLevel(context.sampleRate),
    };
    const node = new AudioWorkletNode(context, PLAYER_PROCESSOR, {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      processorOptions,
    });
    // The reply volume: a gain after the worklet, so the ring, the levels and the played-sample
    // count (what barge-in truncates to) stay the model's audio as it was sent.
    const volume = context.createGain();
    node.connect(volume).connect(context.destination);
    return new Player(context, node, volume);
  }

  private post(m: PlayerIn, transfer: Transferable[] = []): void {
    this.node.port.postMessage(m, transfer);
  }

  private onMessage(m: PlayerOut): void {
    switch (m.type) {
      case 'level':
        this.events.level?.({ rms: m.rms, peak: m.peak, bufferedMs: (m.bufferedSamples * 1000) / API_RATE });
        return;
      case 'started':
        this.events.started?.(m.itemId, m.frame + m.offset);
        return;
      case 'underrun':
        this.events.underrun?.(m.itemId);
        return;
      case 'overflow':
        this.events.overflow?.(m.itemId, (m.droppedSamples * 1000) / API_RATE);
        return;
      case 'interrupted':
      case 'stats': {
        const resolve = this.pending.get(m.requestId);
        this.pending.delete(m.requestId);
        resolve?.(m);
        return;
      }
    }
  }

  private request(type: 'interrupt' | 'stats'): Promise<PlayerOut> {
    const requestId = this.nextRequest++;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      this.post({ type, requestId });
    });
  }

  /** Queues one delta. Takes ownership of `delta.pcm` (it is transferred, not copied). */
  push(delta: AudioDelta): boolean {
    if (this.cutResponses.includes(delta.responseId)) return false;
    if (delta.pcm.byteLength < 2) return true;
    // An odd trailing byte would shift every later sample by one byte: drop it.
    const pcm = delta.pcm.byteLength % 2 === 0 ? delta.pcm : delta.pcm.slice(0, delta.pcm.byteLength - 1);
    this.liveResponses.add(delta.responseId);
    this.post({ type: 'push', itemId: delta.itemId, pcm }, [pcm]);
    return true;
  }

  /** The item's audio is complete: play it out without counting the end as an underrun. */
  done(itemId: string): void {
    this.post({ type: 'done', itemId });
  }

  /** Silences the output at the next render quantum and reports what was actually rendered. */
  async interrupt(): Promise<InterruptResult> {
    for (const r of this.liveResponses) this.cutResponses.push(r);
    this.liveResponses.clear();
    this.cutResponses.splice(0, Math.max(0, this.cutResponses.length - 16));
    const m = await this.request('interrupt');
    if (m.type !== 'interrupted') throw new Error('unexpected player reply');
    return {
      itemId: m.itemId,
      playedSamples: m.playedSamples,
      // Rendered samples, not minus outputLatency: what is already in the device buffer still
      // reaches the listener after the cut, so the listener hears exactly what was rendered.
      playedMs: (m.playedSamples * 1000) / API_RATE,
      frame: m.frame,
    };
  }

  async stats(): Promise<PlayerCounters> {
    const m = await this.request('stats');
    if (m.type !== 'stats') throw new Error('unexpected player reply');
    const { type: _t, requestId: _r, ...counters } = m;
    return counters;
  }

  /**
   * Routes the whole context (player) to an output device. Returns the warning the UI should show,
   * or null for the default device.
   */
  async setSinkId(deviceId: string): Promise<string | null> {
    const ctx = this.context as AudioContext & { setSinkId?: (id: string) => Promise<void> };
    if (!ctx.setSinkId) throw new Error('This version of Chromium cannot choose an output device.');
    await ctx.setSinkId(deviceId === 'default' ? '' : deviceId);
    return deviceId === '' || deviceId === 'default' ? null : SINK_WARNING;
  }

  /** 0–1; a short ramp so a change never clicks. */
  setVolume(v: number): void {
    const g = Math.max(0, Math.min(1, v));
    this.volume.gain.setTargetAtTime(g, this.context.currentTime, 0.02);
  }

  dispose(): void {
    this.volume.disconnect();
    this.node.disconnect();
    this.node.port.onmessage = null;
  }
}
