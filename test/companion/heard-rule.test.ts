// "What the user heard" of a cut reply is one rule: the window's heard/unheard split, the copied
// text and what main carries into the next session must agree, whatever the item's status says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConversationItem } from '../../preload/api';
import { Conversation } from '../../main/realtime/conversation';
import { messageText } from '../../renderer/companion/copy-text';
import { splitHeard } from '../../common/heard-text';

const text = 'The first part was heard and the rest of this reply never played.';

function carried(fields: Partial<ConversationItem>): string {
  const c = new Conversation(() => {});
  c.upsert('a1', { role: 'assistant', type: 'message', modality: 'audio', text, status: 'completed', audioMs: 4000, ...fields });
  return c.carryOver()[0]?.text ?? '';
}

describe('the heard part of a cut reply', () => {
  it('a barge-in (interrupted): window, copy and carry-over agree', () => {
    const fields = { status: 'interrupted' as const, truncatedAtMs: 1000 };
    const item = { id: 'a1', role: 'assistant', type: 'message', modality: 'audio', text, audioMs: 4000, ...fields } as ConversationItem;
    assert.equal(splitHeard(item).heard, carried(fields));
    assert.equal(messageText(item).trim(), carried(fields));
    assert.ok(splitHeard(item).unheard.length > 0);
  });

  it('a reply complete on the server whose playback a dropped connection stopped: the window shows the unheard rest, as main carries only the heard part', () => {
    const fields = { status: 'completed' as const, truncatedAtMs: 1000 };
    const item = { id: 'a1', role: 'assistant', type: 'message', modality: 'audio', text, audioMs: 4000, ...fields } as ConversationItem;
    const heard = carried(fields);
    assert.ok(heard.length < text.length, 'main carries only what was heard');
    assert.equal(splitHeard(item).heard, heard, 'the window marks the same cut');
    assert.equal(messageText(item).trim(), heard, 'a copy holds what was heard');
  });
});
