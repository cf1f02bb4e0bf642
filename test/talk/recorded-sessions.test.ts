// The 2025 recordings (converted to GA) replayed through the talk command; the harness is recorded-replay.ts.
import { describe, test } from 'node:test';
import { checkAgainstRecording, replay } from './recorded-replay';

describe('recorded sessions replayed through the talk command', () => {
  test('barge-in: a reply interrupted mid-generation, late deltas in flight', async () => {
    checkAgainstRecording(await replay('barge-in'));
  });
  test('cancel-race: cancelled before output, then cancelled after output_item.done completed', async () => {
    checkAgainstRecording(await replay('cancel-race'));
  });
  test('function-call: push-to-talk turn, 75 argument deltas, an unknown tool answered with an error', async () => {
    checkAgainstRecording(await replay('function-call'));
  });
  test('long-session: 414 events, nine replies, barge-ins, races, late transcriptions and a tool call', async () => {
    checkAgainstRecording(await replay('long-session', { replaySpeed: 2 }));
  });
});

