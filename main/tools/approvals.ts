// The per-tool policy (always allow, ask, deny) and the "ask" round trip. It runs inside the registry,
// between argument validation and the tool, so the session only ever awaits `run`. Every refusal
// becomes a sentence the model reads in the function output, so it can tell the user what happened.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ApprovalPrompter, Notifier } from './host-ports';
import { DEFAULT_APPROVAL_TIMEOUT_MS, type ApprovalPolicies, type ApprovalPolicy } from '../../common/settings/tool-settings';
import { Deadline } from '../deadline';

// The policy schemas live with the settings (which the renderer's types reach); re-exported here.
export { approvalPoliciesSchema, approvalPolicySchema, DEFAULT_APPROVAL_TIMEOUT_MS, type ApprovalPolicies, type ApprovalPolicy } from '../../common/settings/tool-settings';

/** What a tool asks for when the user has not chosen: clipboard writes and links ask, reads allow. */
export type ApprovalDefault = ApprovalPolicy;

export interface ApprovalsOptions {
  prompter: ApprovalPrompter;
  /** Told when a prompt opens, so the user notices it while the window is hidden. */
  notifier?: Notifier;
  /** No answer within this time counts as declined. */
  timeoutMs?: number;
  policies?: ApprovalPolicies;
}

interface Gated {
  name: string;
  approval?: ApprovalDefault;
  summarize?(args: any): string;
}

export type Verdict = { allowed: true } | { allowed: false; reason: 'policy' | 'declined' | 'timeout' | 'unavailable'; message: string };

export class Approvals {
  private policies: ApprovalPolicies;
  private readonly listeners = new Set<(policies: ApprovalPolicies) => void>();
  /** Settable: a changed setting applies to the next prompt. */
  timeoutMs: number;

  constructor(private readonly opts: ApprovalsOptions) {
    this.policies = { ...opts.policies };
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
  }

  policyFor(tool: Gated): ApprovalPolicy {
    return this.policies[tool.name] ?? tool.approval ?? 'allow';
  }

  currentPolicies(): ApprovalPolicies {
    return { ...this.policies };
  }

  /** Replaces the user's choices (from settings). */
  setPolicies(policies: ApprovalPolicies): void {
    this.policies = { ...policies };
    this.changed();
  }

  setPolicy(toolName: string, policy: ApprovalPolicy | null): void {
    const next = { ...this.policies };
    if (policy === null) delete next[toolName];
    else next[toolName] = policy;
    this.policies = next;
    this.changed();
  }

  /** Called when a policy changes (including "always allow" from a prompt), to persist it. */
  onPolicyChange(listener: (policies: ApprovalPolicies) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async check(tool: Gated, args: unknown, callId = ''): Promise<Verdict> {
    const policy = this.policyFor(tool);
    if (policy === 'allow') return { allowed: true };
    if (policy === 'deny') {
      return { allowed: false, reason: 'policy', message: `The user has blocked the tool ${tool.name} in Hark's settings, so it did not run.` };
    }
    const summary = summaryOf(tool, args);
    const ac = new AbortController();
    const request = { id: randomUUID(), callId, toolName: tool.name, summary, args, expiresAt: Date.now() + this.timeoutMs };
    this.opts.notifier?.notify({ title: 'Hark asks for permission', body: summary });
    let answer: Awaited<ReturnType<ApprovalPrompter['ask']>> | 'timeout' | 'error';
    try {
      answer = await Deadline.race(this.opts.prompter.ask(request, ac.signal).catch(() => 'error' as const), this.timeoutMs, () => 'timeout' as const);
    } finally {
      ac.abort();
    }
    if (answer === 'always') this.setPolicy(tool.name, 'allow');
    if (answer === 'allow' || answer === 'always') return { allowed: true };
    if (answer === 'timeout') {
      return {
        allowed: false,
        reason: 'timeout',
        message: `Declined (no answer in ${Number((this.timeoutMs / 1000).toFixed(1))} s): the user did not answer the request to run ${tool.name}, so it did not run.`,
      };
    }
    if (answer === 'error') return { allowed: false, reason: 'unavailable', message: `Hark could not ask the user for permission to run ${tool.name}, so it did not run.` };
    return { allowed: false, reason: 'declined', message: `The user declined to run ${tool.name}.` };
  }

  private changed(): void {
    const snapshot = this.currentPolicies();
    for (const l of this.listeners) l(snapshot);
  }
}

function summaryOf(tool: Gated, args: unknown): string {
  try {
    if (tool.summarize) return tool.summarize(args);
  } catch {
    // A summary is a nicety; the generic one below still tells the user what would run.
  }
  const json = JSON.stringify(args ?? {});
  return `Run ${tool.name} with ${json.length > 200 ? `${json.slice(0, 199)}…` : json}`;
}
