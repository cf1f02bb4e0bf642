// A Transport without a socket: the test delivers server events straight to the session's message
// handler and reads what the session sent. For sequence tests that need thousands of runs a second;
// everything about the wire itself is tested against the simulator over real ws.
import { Transport, type CloseInfo } from '../../main/realtime/transport';
import type { Endpoint } from '../../main/realtime/endpoint';

export class FakeTransport extends Transport {
  readonly sent: Array<{ type: string; event_id: string; [k: string]: unknown }> = [];
  private open = false;

  override connect(_endpoint: Endpoint): Promise<void> {
    this.open = true;
    return Promise.resolve();
  }

  override get isOpen(): boolean {
    return this.open;
  }

  override send(event: object): boolean {
    if (!this.open) return false;
    this.sent.push(JSON.parse(JSON.stringify(event)));
    return true;
  }

  override close(code = 1000, reason = ''): void {
    if (!this.open) return;
    this.open = false;
    this.emit('close', { code, reason } satisfies CloseInfo);
  }

  /** A server event, as the text frame it would arrive in. */
  deliver(event: object | string): void {
    this.emit('message', typeof event === 'string' ? event : JSON.stringify(event));
  }
}
