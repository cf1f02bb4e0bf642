// An ApprovalPrompter that holds the open prompts for the companion window. The shell forwards
// 'request' and 'settled' to the renderer and calls `answer` from IPC; it needs no logic of its own.
import { EventEmitter } from 'node:events';
import type { ApprovalAnswer, ApprovalRequest } from '../../common/bridge-types';
import type { ApprovalPrompter } from './host-ports';

export interface ApprovalQueueEvents {
  request: [ApprovalRequest];
  /** The prompt is gone: answered, or the approvals module stopped waiting ('expired'). */
  settled: [{ id: string; answer: ApprovalAnswer | 'expired' }];
}

export class ApprovalQueue extends EventEmitter<ApprovalQueueEvents> implements ApprovalPrompter {
  private readonly open = new Map<string, { request: ApprovalRequest; resolve: (a: ApprovalAnswer) => void }>();

  ask(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer> {
    return new Promise((resolve) => {
      this.open.set(request.id, { request, resolve });
      signal.addEventListener('abort', () => {
        if (this.open.delete(request.id)) this.emit('settled', { id: request.id, answer: 'expired' });
      }, { once: true });
      this.emit('request', request);
    });
  }

  /** For a window that opens after the prompt was raised. */
  pending(): ApprovalRequest[] {
    return [...this.open.values()].map((o) => o.request);
  }

  /** False when the prompt has already expired or been answered. */
  answer(id: string, answer: ApprovalAnswer): boolean {
    const entry = this.open.get(id);
    if (!entry) return false;
    this.open.delete(id);
    this.emit('settled', { id, answer });
    entry.resolve(answer);
    return true;
  }
}
