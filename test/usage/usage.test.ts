// Tokens and cost: per response from response.done, per conversation and per day (persisted), the
// price table, and the daily spend cap that disconnects with a notice and refuses to reconnect.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import type { Notice, UsageTotals } from '../../preload/api';
import { DailyLedger, localDay } from '../../main/usage/daily-ledger';
import { costOf, DEFAULT_PRICES, priceFor } from '../../common/price-table';
import { UsageMeter } from '../../main/usage/usage-meter';
import { usageSettingsSchema } from '../../common/settings/usage-settings';
import { fromResponseUsage, zeroUsage } from '../../main/usage/usage-math';
import { startPair, type Pair } from '../realtime/harness';

const fresh = () => mkdtempSync(join(tmpdir(), 'hark-usage-'));
const u = (o: Partial<UsageTotals>): UsageTotals => ({ ...zeroUsage(), ...o });

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
});

async function meterPair(dailyCapUsd: number | null, dir = fresh()) {
  pair = await startPair({ sim: { respond: () => ({ text: 'Here you are.', audioMs: 400 }) } });
  const notices: Notice[] = [];
  const ledger = new DailyLedger(dir, (n) => notices.push(n));
  await ledger.load();
  const settings = usageSettingsSchema.parse({ dailyCapUsd });
  const meter = new UsageMeter({ session: pair.session, ledger, settings: () => settings, model: () => 'gpt-realtime' });
  meter.on('notice', (n) => notices.push(n));
  return { meter, ledger, notices, dir };
}

/** The usage objects the simulator put in its response.done events. */
function simUsage(p: Pair): Array<Record<string, any>> {
  return p.sim.connections.flatMap((c) => c.sent.filter((e) => e.event.type === 'response.done').map((e) => e.event.response.usage));
}

describe('usage and cost', () => {
  test('the price table: exact and dated model names, cached input priced apart, unknown models have no price', () => {
    assert.equal(priceFor('gpt-realtime-2025-08-28', DEFAULT_PRICES), DEFAULT_PRICES['gpt-realtime']);
    assert.equal(priceFor('gpt-realtime-mini-2025-10-06', DEFAULT_PRICES), DEFAULT_PRICES['gpt-realtime-mini']);
    assert.equal(priceFor('someone-elses-model', DEFAULT_PRICES), null);
    const p = { textInput: 4, audioInput: 32, cachedInput: 0.4, textOutput: 16, audioOutput: 64 };
    // 1M audio in (half of it cached) + 1M audio out.
    const usd = costOf(u({ inputAudioTokens: 1_000_000, inputCachedTokens: 500_000, outputAudioTokens: 1_000_000 }), p)!;
    assert.ok(Math.abs(usd - (0.5 * 32 + 0.5 * 0.4 + 64)) < 1e-9, String(usd));
    assert.equal(costOf(u({ inputTokens: 5 }), null), null);
    // One response's usage from the server's object; missing or bad fields count as zero.
    assert.deepEqual(
      fromResponseUsage({ total_tokens: 25, input_tokens: 10, output_tokens: 15, input_token_details: { audio_tokens: 8, cached_tokens: -3 }, output_token_details: { audio_tokens: 12 } } as never),
      u({ responses: 1, totalTokens: 25, inputTokens: 10, outputTokens: 15, inputAudioTokens: 8, outputAudioTokens: 12 }),
    );
    assert.deepEqual(fromResponseUsage(null), u({ responses: 1 }));
    assert.throws(() => usageSettingsSchema.parse({ prices: { 'gpt-realtime': { textInput: -1 } } }));
  });

  test('per response, per conversation and per day, equal to the usage the server reported', async () => {
    const { meter, ledger } = await meterPair(null);
    const responses: Array<{ usage: UsageTotals; costUsd: number | null }> = [];
    meter.on('response', (r) => responses.push(r));
    await pair!.session.connect();
    for (const text of ['first', 'second']) {
      const done = new Promise((r) => pair!.session.once('response', r));
      pair!.session.sendText(text);
      await done;
    }
    const server = simUsage(pair!);
    assert.equal(responses.length, 2);
    for (const [i, r] of responses.entries()) {
      const s = server[i]!;
      assert.equal(r.usage.totalTokens, s.total_tokens);
      assert.equal(r.usage.inputTextTokens, s.input_token_details.text_tokens);
      assert.equal(r.usage.inputAudioTokens, s.input_token_details.audio_tokens);
      assert.equal(r.usage.inputCachedTokens, s.input_token_details.cached_tokens);
      assert.equal(r.usage.outputTextTokens, s.output_token_details.text_tokens);
      assert.equal(r.usage.outputAudioTokens, s.output_token_details.audio_tokens);
      assert.ok(Math.abs(r.costUsd! - costOf(r.usage, DEFAULT_PRICES['gpt-realtime']!)!) < 1e-12);
    }
    const summary = meter.summary();
    const total = server.reduce((n, s) => n + s.total_tokens, 0);
    assert.equal(summary.conversation.usage.totalTokens, total);
    assert.equal(summary.today.usage.totalTokens, total);
    assert.equal(summary.today.day, localDay(Date.now()));
    // Per day survives a restart.
    await ledger.flush();
    const again = new DailyLedger(ledger['file'].replace(/usage-days\.json$/, ''));
    await again.load();
    assert.equal(again.get(localDay(Date.now())).usage.totalTokens, total);
  });

  test('the daily cap disconnects with a notice after the response that reaches it, and refuses to reconnect', async () => {
    const { meter, notices } = await meterPair(0.000001);
    await pair!.session.connect();
    const done = new Promise((r) => pair!.session.once('response', r));
    pair!.session.sendText('hello');
    await done;
    assert.equal(pair!.session.state.phase, 'disconnected');
    assert.match(notices.find((n) => n.code === 'daily_cap')!.message, /Disconnected: Today's estimated spend .* daily cap of \$0\.00/);
    assert.ok(meter.summary().capReached);
    assert.match(meter.connectRefusal()!, /Raise the cap/);
    // A connection started some other way (tray, hotkey) is taken down again at once.
    void pair!.session.connect().catch(() => {});
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(pair!.session.state.phase, 'disconnected');
    assert.equal(pair!.session['transport'], null, 'no socket left open behind the refusal');
  });

  test('a damaged usage file is set aside with a notice, not lost, and counting starts again', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'usage-days.json'), '{"version":1,"days":{"2026-11-2');
    const notices: Notice[] = [];
    const ledger = new DailyLedger(dir, (n) => notices.push(n));
    await ledger.load();
    assert.match(notices[0]!.message, /could not be read.*kept as .*damaged/);
    assert.ok(readdirSync(dir).some((f) => f.startsWith('usage-days.json.damaged-')));
    assert.equal(ledger.get('2026-11-25').costUsd, 0);
  });
});
