// Starting over and picking up: a new conversation (tray, window, key) with nothing carried; what
// Connect does after the user disconnected on purpose (ask, continue, or start anew, by setting);
// resuming a past conversation from history within a token budget; forgetting one item. Automatic
// reconnects and the hourly renewal never come here: they keep carrying the context, as before.
import type { EventChannel, Events, Notice, ResumeResult } from '../../preload/api';
import type { HistoryStore } from '../history/history-store';
import { resumeSeed } from '../history/resume-seed';
import type { ConversationSettings } from '../../common/settings/model-settings';
import type { RealtimeSession } from '../realtime/session';

export interface ConversationControlOptions {
  session: RealtimeSession;
  history: HistoryStore;
  settings: () => ConversationSettings;
  emit: <K extends EventChannel>(channel: K, payload: Events[K]) => void;
  notify: (n: Notice) => void;
  /** Connects (the daily cap may refuse). */
  connect: () => Promise<void>;
}

export class ConversationControl {
  /** The user pressed Disconnect (not an idle disconnect, not a dropped line). */
  private explicit = false;
  private readonly onReset = (r: { resumedFrom: string | null }) => this.o.emit('conversation:reset', r);

  constructor(private readonly o: ConversationControlOptions) {
    o.session.on('reset', this.onReset);
  }

  disconnect(): void {
    this.explicit = true;
    this.o.session.disconnect();
  }

  /**
   * Connect. After an explicit disconnect with a conversation on screen, the setting decides:
   * continue it, start a new one, or ask (the window offers both; nothing connects until then).
   */
  async connect(choice?: 'continue' | 'new'): Promise<'connected' | 'ask'> {
    const pending = this.explicit && this.o.session.conversation.items().some((i) => !i.forgotten);
    const policy = choice ?? (pending ? this.o.settings().afterDisconnect : 'continue');
    if (policy === 'ask') {
      this.o.emit('conversation:ask', { items: this.o.session.conversation.items().filter((i) => i.type === 'message' && !i.forgotten).length });
      return 'ask';
    }
    this.explicit = false;
    if (policy === 'new') this.o.session.newConversation();
    await this.o.connect();
    return 'connected';
  }

  /**
   * The talk key or button after an explicit disconnect: the user wants to speak now, so nothing
   * asks; a "new" setting still starts a new conversation, otherwise it continues.
   */
  beforeTalk(): void {
    if (!this.explicit) return;
    this.explicit = false;
    if (this.o.settings().afterDisconnect === 'new') this.o.session.newConversation();
  }

  /** A fresh conversation now; connected stays connected (a new server conversation). */
  async newConversation(): Promise<void> {
    const wasOn = this.o.session.state.phase !== 'disconnected' && this.o.session.state.phase !== 'error';
    this.o.session.newConversation();
    this.explicit = false;
    if (wasOn) await this.o.connect();
  }

  forget(id: string): boolean {
    return this.o.session.forgetItem(id);
  }

  /** Resume a past conversation: its newest messages within the budget seed a fresh session. */
  async resume(id: string): Promise<ResumeResult> {
    const past = await this.o.history.get(id);
    if (!past) throw new Error('That conversation no longer exists.');
    const budget = this.o.settings().resumeBudgetTokens;
    const seed = resumeSeed(past.items, budget);
    this.o.session.newConversation(seed.items, id);
    this.explicit = false;
    await this.o.connect();
    return { items: seed.items.length, total: seed.total, tokens: seed.tokens, budgetTokens: budget };
  }

  dispose(): void {
    this.o.session.off('reset', this.onReset);
  }
}
