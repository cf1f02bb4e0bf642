// Keeps the assistant's own voice out of the conversation. When local voice judges the server's
// speech_started to be the reply's echo, that turn's committed item is deleted, and the automatic
// reply the server starts for it (when the echo is committed after the reply ended) is cancelled,
// hidden, and its items deleted. It lives apart so the session's event switch only asks it.
import type { SessionPort } from './session-port';

export class EchoTurns {
  /** Server speech judged the assistant's own voice, by item id. */
  private readonly turns = new Set<string>();
  private committedEcho = false;
  /** The server's automatic replies to an echo turn, and their items: cancelled and deleted. */
  private readonly replies = new Set<string>();
  private readonly items = new Set<string>();

  constructor(private readonly port: SessionPort) {}

  /** speech_started was judged echo: its turn is not the user's. */
  suppress(itemId: string): void {
    this.turns.add(itemId);
  }

  isEchoTurn(itemId: string): boolean {
    return this.turns.has(itemId);
  }

  /** An item the guard deleted: the conversation never shows it. */
  isEchoItem(itemId: string): boolean {
    return this.items.has(itemId);
  }

  /**
   * A turn was committed. Returns true when it was echo and has been deleted; `userSpoke` says the
   * speech ran on into the user's own words, which makes the turn theirs after all.
   */
  committed(itemId: string, userSpoke: () => boolean): boolean {
    if (this.turns.delete(itemId) && !userSpoke()) {
      // Keep the echo out of the conversation; the server's automatic reply to it fails on the
      // active response, and that failure must not queue a reply to the echo either (or, when
      // the reply had already ended, it starts and is cancelled at response.created).
      this.port.send({ type: 'conversation.item.delete', item_id: itemId });
      this.committedEcho = true;
      return true;
    }
    this.committedEcho = false;
    return false;
  }

  /**
   * A response was created. Returns true when it is the server's automatic reply to an echo
   * committed after the reply had ended: it answers no one, so it is cancelled here.
   */
  responseCreated(responseId: string, ownCreateInFlight: boolean): boolean {
    if (!this.committedEcho || ownCreateInFlight) return false;
    this.committedEcho = false;
    this.replies.add(responseId);
    this.port.send({ type: 'response.cancel', response_id: responseId });
    return true;
  }

  /**
   * A reply of ours that crossed one already answering its context (response-creates.ts): handled
   * like the echo's automatic reply, cancelled, and its items deleted as they come.
   */
  unwanted(responseId: string): void {
    this.replies.add(responseId);
    this.port.send({ type: 'response.cancel', response_id: responseId });
  }

  /** An output item of a response; returns true when it belongs to an echo reply (and is deleted). */
  outputItem(responseId: string, itemId: string, done: boolean): boolean {
    if (!this.replies.has(responseId)) return false;
    if (!done && itemId && !this.items.has(itemId)) {
      this.items.add(itemId);
      this.port.send({ type: 'conversation.item.delete', item_id: itemId });
    }
    return true;
  }

  /** response.done of an echo reply: returns true, and forgets it. */
  responseDone(responseId: string): boolean {
    return this.replies.delete(responseId);
  }

  /** The server refused its automatic reply to the echo (a reply was active): expected, swallowed. */
  absorbsRefusal(code: string | null, clientEventId: string | null): boolean {
    if (code !== 'conversation_already_has_active_response' || clientEventId || !this.committedEcho) return false;
    this.committedEcho = false;
    return true;
  }

  /** A new connection: nothing of the old one's echo is pending. */
  reset(): void {
    this.committedEcho = false;
    this.replies.clear();
    this.items.clear();
  }
}
