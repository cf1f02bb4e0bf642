// The settings form's pure parts: a patch names exactly the changed fields (a union travels whole),
// and main's refusals are placed at their field in plain words.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorsAt, errorsElsewhere, inWords } from '../../renderer/settings/field-errors';
import { diffPatch } from '../../renderer/settings/settings-patch';

describe('settings form', () => {
  it('diffPatch keeps only what changed, recursing into objects', () => {
    const prev = { voice: 'marin', turnDetection: { mode: 'server_vad', threshold: 0.5, idleTimeoutMs: null }, usage: { prices: { a: { textInput: 1, audioInput: 2 } } } };
    const next = { voice: 'marin', turnDetection: { mode: 'server_vad', threshold: 0.7, idleTimeoutMs: 6000 }, usage: { prices: { a: { textInput: 1, audioInput: 3 }, b: { textInput: 0, audioInput: 0 } } } };
    assert.deepEqual(diffPatch(next, prev), { turnDetection: { threshold: 0.7, idleTimeoutMs: 6000 }, usage: { prices: { a: { audioInput: 3 }, b: { textInput: 0, audioInput: 0 } } } });
    assert.deepEqual(diffPatch(prev, structuredClone(prev)), {});
  });

  it('an atomic path is sent whole, so a merge cannot keep fields of the old kind', () => {
    const prev = { endpoint: { kind: 'azure', url: 'https://x.openai.azure.com', deployment: 'rt' } };
    assert.deepEqual(diffPatch({ endpoint: { kind: 'azure', url: 'https://y.openai.azure.com', deployment: 'rt' } }, prev, ['endpoint']), {
      endpoint: { kind: 'azure', url: 'https://y.openai.azure.com', deployment: 'rt' },
    });
    assert.deepEqual(diffPatch({ endpoint: { kind: 'openai' } }, prev, ['endpoint']), { endpoint: { kind: 'openai' } });
  });

  it('errors go to their field, in words; the rest are kept with their path', () => {
    const errors = ['turnDetection.threshold: Too big: expected number to be <=1', 'tools.mcpConfig: mcpServers.a: give either "command" or "url".', 'version: Invalid input'];
    assert.deepEqual(errorsAt(errors, 'turnDetection.threshold'), ['must be at most 1']);
    assert.deepEqual(errorsAt(errors, 'turnDetection'), ['must be at most 1']);
    assert.deepEqual(errorsAt(errors, 'turnDetection.thresholdX'), []);
    assert.deepEqual(errorsAt(errors, 'tools.mcpConfig'), ['mcpServers.a: give either "command" or "url".']);
    assert.deepEqual(errorsElsewhere(errors, ['turnDetection', 'tools.mcpConfig']), ['version: Invalid input']);
    assert.equal(inWords('Invalid input: expected number, received null'), 'enter a number');
    assert.equal(inWords('Too small: expected number to be >=5000'), 'must be at least 5000');
  });
});
