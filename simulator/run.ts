// `npm run simulator`: the loopback Realtime server on its own, so the app, `talk`, or any other
// Realtime client can be pointed at it without a key or a network. It prints its URL and runs
// until Ctrl-C. It is the same server the demo and the tests use.
import { parseArgs } from 'node:util';
import { startSimulator } from './server';

const usage = `npm run simulator -- [--port N] [--tls] [--replay FILE] [--log]

  --port N       listen on this port (default: a free one)
  --tls          serve wss:// with a self-signed loopback certificate (its CA is printed)
  --replay FILE  serve a recorded session (a realtime-replay/*.json file) instead of the scripted replies
  --log          print every event the server receives

Any key is accepted except "bad" and keys starting "sk-bad" (those are refused as the real server would).
Point Hark at it with HARK_REALTIME_URL=<url> npm start, or: npm run talk -- --endpoint <url> --in question.wav`;

function fail(message: string): never {
  console.error(`simulator: ${message}\n\n${usage}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string' },
      tls: { type: 'boolean', default: false },
      replay: { type: 'string' },
      log: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (err) {
  fail((err as Error).message);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const port = args.port === undefined ? 0 : Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port: "${args.port}" is not a port number (0–65535)`);

const sim = await startSimulator({ port, tls: args.tls, replay: args.replay, log: args.log }).catch((err: Error) =>
  fail(err.message),
);
console.log(`Realtime simulator listening at ${sim.url}`);
if (sim.ca) console.log(`Its certificate authority (trust it in the client):\n${sim.ca}`);
console.log('Ctrl-C stops it.');
const stop = () => void sim.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
