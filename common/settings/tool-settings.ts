// The tools section of the settings, ready to join settingsSchema as `tools: toolSettingsSchema`.
// The MCP block is kept as the text the user wrote (their layout, their order), and refused on save
// when parseMcpConfig finds a problem, with its messages.
import { z } from 'zod';
import { parseMcpConfig } from './mcp-config';

export const approvalPolicySchema = z.enum(['allow', 'ask', 'deny']);
export type ApprovalPolicy = z.infer<typeof approvalPolicySchema>;

/** Tool name → policy, as stored in the settings. Tools not listed use their own default. */
export const approvalPoliciesSchema = z.record(z.string(), approvalPolicySchema);
export type ApprovalPolicies = z.infer<typeof approvalPoliciesSchema>;

export const DEFAULT_APPROVAL_TIMEOUT_MS = 30_000;
/** Cap on one MCP tool output by default, in characters (main/tools/mcp/mcp-result-text applies it). */
export const DEFAULT_MAX_OUTPUT_CHARS = 16_000;

export const toolSettingsSchema = z
  .object({
    /** Tool name → 'allow' | 'ask' | 'deny'; tools not listed use their own default. */
    policies: approvalPoliciesSchema.default({}),
    /** An unanswered approval prompt counts as declined after this long. */
    approvalTimeoutMs: z.number().int().min(5_000).max(300_000).default(DEFAULT_APPROVAL_TIMEOUT_MS),
    /** `{ "mcpServers": { … } }` as in other desktop MCP clients; empty = none. */
    mcpConfig: z
      .string()
      .max(100_000)
      .default('')
      .superRefine((text, ctx) => {
        const r = parseMcpConfig(text);
        if (!r.ok) for (const message of r.errors) ctx.addIssue({ code: 'custom', message });
      }),
    /** Cap on one MCP tool output, in characters. */
    mcpMaxOutputChars: z.number().int().min(1_000).max(200_000).default(DEFAULT_MAX_OUTPUT_CHARS),
  })
  .prefault({});

export type ToolSettings = z.infer<typeof toolSettingsSchema>;
