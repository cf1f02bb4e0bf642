// What Hark asks of the server's session: the whole config when a session starts, live updates
// (settings, the tool list), and what the server refused of them. A field the model refuses is left
// out from then on, so one refusal never costs the user the rest of their settings.
import type { Settings } from '../../common/settings/settings-schema';
import type { ToolRegistry } from '../tools/tool-registry';
import { explainModelRejection } from '../../common/models';
import { buildSessionConfig } from './session-config';
import type { SessionPort } from './session-port';
import type { SessionOptions } from './session-types';
import type { TimerSet } from './timer-set';

export interface UpdatesHost {
  settings(): Settings;
  /** The turn mode in force (the 'local' mode without its detector is server VAD). */
  turnMode(): Settings['turnDetection']['mode'];
  ready(): boolean;
}

export class SessionUpdates {
  /** Fields this model refused once (reasoning, truncation): left out of later updates. */
  private readonly omitted = new Set<string>();
  private configEventId: string | null = null;
  private readonly updateEvents = new Set<string>();
  private toolsTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly port: SessionPort,
    private readonly host: UpdatesHost,
    private readonly tools: ToolRegistry,
    private readonly timers: TimerSet,
    private readonly opts: Pick<SessionOptions, 'instructionsSuffix' | 'localVoice'>,
  ) {}

  /** The session config for the settings in force, without the fields this model refused. */
  config() {
    const now = this.host.settings();
    const settings = { ...now, turnDetection: { ...now.turnDetection, mode: this.host.turnMode() } };
    const config = buildSessionConfig(settings, this.tools.definitions());
    for (const field of this.omitted) delete (config as unknown as Record<string, unknown>)[field];
    const suffix = this.opts.instructionsSuffix?.().trim();
    if (suffix) config.instructions = `${config.instructions ?? ''}\n\n${suffix}`;
    const td = config.audio?.input?.turn_detection;
    if (td && this.opts.localVoice?.clientInterrupts) td.interrupt_response = false;
    return config;
  }

  /** A session started: it is configured; the answer (or a refusal) says whether it took. */
  configure(): void {
    this.configEventId = this.port.send({ type: 'session.update', session: this.config() });
  }

  /** A live update; a refusal of it is told as "not applied". */
  update(session: ReturnType<SessionUpdates['config']> | { type: 'realtime'; tools: unknown[]; tool_choice: 'auto' }): void {
    const id = this.port.send({ type: 'session.update', session: session as never });
    if (id) this.updateEvents.add(id);
  }

  /** New settings on a live session: what the API allows now goes out as one update. */
  applyLive(prev: Settings, next: Settings, hasSpoken: boolean): void {
    const session = this.config();
    if (prev.voice !== next.voice && hasSpoken) {
      // The API refuses a voice change once the assistant has spoken in this session.
      this.port.notice('info', `The voice "${next.voice}" will be used from the next session; this one has already spoken in "${prev.voice}".`, 'voice_deferred');
      session.audio!.output!.voice = prev.voice;
    }
    if (prev.speed !== next.speed) this.port.notice('info', `Speaking speed ${next.speed}: it applies from the next reply.`, 'speed_next_reply');
    this.update(session);
  }

  /**
   * The set of tools changed (an MCP server started or died): offer the new list. Changes that
   * come together (several servers starting) go out as one update.
   */
  refreshTools(): void {
    if (this.toolsTimer) return;
    this.toolsTimer = this.timers.after(50, () => {
      this.toolsTimer = null;
      if (!this.host.ready()) return; // the next session.update at connect carries them anyway
      this.update({ type: 'realtime', tools: this.tools.definitions(), tool_choice: 'auto' });
    });
  }

  /** Another endpoint or model: what the old one refused may be fine now. */
  forgetRefusals(): void {
    this.omitted.clear();
  }

  /**
   * An error event that may answer one of our updates. Returns 'retried' or 'defaults' (the config
   * at connect: retried without a refused field, or given up on), 'not-applied' for a live update,
   * or null when the error is about something else.
   */
  onError(code: string | null, clientEventId: string | null, message: string, param: string | null): 'retried' | 'defaults' | 'not-applied' | null {
    if (clientEventId && clientEventId === this.configEventId) {
      const why = explainModelRejection(param, this.host.settings().model);
      if (why && !this.omitted.has(why.retryWithout)) {
        // One field the model refuses must not cost the user all the other settings.
        this.omitted.add(why.retryWithout);
        this.port.notice('warning', why.message, code);
        this.configure();
        return 'retried';
      }
      this.port.notice('warning', `The server did not accept Hark's settings (${message}); continuing with its defaults.`, code);
      return 'defaults';
    }
    if (clientEventId && this.updateEvents.delete(clientEventId)) {
      this.port.notice('warning', `Settings were not applied: ${message}`, code);
      return 'not-applied';
    }
    return null;
  }

  /** A new connection: none of the old one's updates can be answered any more. */
  reset(): void {
    this.configEventId = null;
    this.updateEvents.clear();
  }

  /** Every timer was cancelled at once (TimerSet.cancelAll). */
  timersCleared(): void {
    this.toolsTimer = null;
  }
}
