// The user's side of the microphone: mute, the manual turn (push-to-talk or the local detector)
// with its clear/commit on the wire, and the gate that tells the renderer whether to send frames at
// all. It holds no phase: the facade opens and ends turns and decides what the user sees.
import type { Settings } from '../../common/settings/settings-schema';
import { AudioUplink } from './audio-uplink';
import type { SessionPort } from './session-port';

const MIN_TURN_MS = 100;

export interface MicHost {
  /** The session is ready, or local voice keeps the mic's audio while it connects. */
  live(): boolean;
  turnDetection(): Settings['turnDetection']['mode'];
  gate(open: boolean): void;
}

export class MicTurn {
  isOpen = false;
  muted = false;
  /** A manual turn released while the session was still connecting: it ends once ready. */
  endWhenReady = false;
  private gateOpen = false;
  private readonly uplink: AudioUplink;

  constructor(
    private readonly port: SessionPort,
    private readonly host: MicHost,
  ) {
    this.uplink = new AudioUplink((audio) => port.send({ type: 'input_audio_buffer.append', audio }));
  }

  /** Mic audio of a ready session; dropped while muted, or between manual turns. */
  push(pcm: Uint8Array, manualTurns: boolean): void {
    if (this.muted) return;
    if (manualTurns && !this.isOpen) return;
    this.uplink.push(pcm);
  }

  /** Opens a manual turn; `clearServer` empties the server's buffer first (a live session). */
  begin(clearServer: boolean): void {
    if (clearServer) this.port.send({ type: 'input_audio_buffer.clear' });
    this.uplink.reset();
    this.setOpen(true);
  }

  /** Ends the manual turn and commits it; false (and cleared, with a notice) when it was too short to send. */
  end(): boolean {
    this.setOpen(false);
    this.uplink.flush();
    const ms = this.uplink.sentMs;
    if (ms < MIN_TURN_MS) {
      this.port.send({ type: 'input_audio_buffer.clear' });
      this.port.notice('warning', `That turn had only ${Math.round(ms)} ms of audio, too short to send (at least ${MIN_TURN_MS} ms). Hold the talk key while you speak.`, 'turn_too_short');
      return false;
    }
    this.port.send({ type: 'input_audio_buffer.commit' });
    return true;
  }

  cancel(): void {
    this.setOpen(false);
    this.uplink.reset();
    this.port.send({ type: 'input_audio_buffer.clear' });
  }

  setOpen(open: boolean): void {
    this.isOpen = open;
    if (!open) this.endWhenReady = false;
    this.updateGate();
  }

  /** A new connection: audio kept for the old one is not sent. */
  reset(): void {
    this.uplink.reset();
  }

  updateGate(): void {
    // While connecting, local voice keeps what the mic hears and sends it once ready (no lost words).
    const live = this.host.live();
    // In the local mode every frame goes to main's detector; only turns reach the server.
    const open = live && !this.muted && (this.host.turnDetection() !== 'none' || this.isOpen);
    if (open === this.gateOpen) return;
    this.gateOpen = open;
    this.host.gate(open);
  }
}
