// Child process for crash.test.ts: a real session, simulator and history recorder holding a
// conversation; it reports each saved turn on stdout and is killed (SIGKILL) mid-reply by the parent.
import { createCompanionServices } from '../../main/app/companion-services';
import { historySettingsSchema } from '../../common/settings/history-settings';
import { usageSettingsSchema } from '../../common/settings/usage-settings';
import { startPair } from '../realtime/harness';

const dir = process.argv[2]!;
let turn = 0;
const pair = await startPair({ sim: { respond: () => ({ text: turn < 2 ? `Answer ${turn}.` : 'A very long answer that never finishes.', audioMs: turn < 2 ? 300 : 30_000 }), paceFactor: 1 } });
const history = historySettingsSchema.parse({});
const usage = usageSettingsSchema.parse({});
const services = await createCompanionServices({ session: pair.session, dir, history: () => history, usage: () => usage, idleMinutes: () => null, model: () => 'gpt-realtime', emit: () => {} });
services.recorder.on('saved', () => console.log(`saved ${turn}`));
await pair.session.connect();
for (; turn < 2; turn++) {
  const done = new Promise((r) => pair.session.once('response', r));
  pair.session.sendText(`Question ${turn}`);
  await done;
  await services.recorder.flush();
}
pair.session.on('audio', () => console.log('mid-turn'));
pair.session.sendText('Question 2');
