// Speakers or headphones, from the device labels browsers really report, and the hint that follows.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { outputKind, speakerHint } from '../../renderer/audio/output-kind';

describe('output kind and the speakers hint', () => {
  test('labels of built-in speakers, headsets and the unknown', () => {
    for (const l of ['Default - Speakers (Realtek(R) Audio)', 'MacBook Pro Speakers', 'Built-in Audio Analog Stereo', 'LG HDR 4K (HDMI)', 'Internal Speakers']) assert.equal(outputKind(l), 'speakers', l);
    for (const l of ['Jabra Evolve2 65', 'AirPods Pro', 'Headphones (Realtek(R) Audio)', 'WH-1000XM4 Hands-Free AG Audio', 'Galaxy Buds2', 'USB Headset Analog Stereo']) assert.equal(outputKind(l), 'headphones', l);
    for (const l of ['', 'Default', 'Scarlett 2i2 USB']) assert.equal(outputKind(l), 'unknown', l);
  });

  test('a hint only on speakers without a headset mic, suggesting half-duplex while it is off', () => {
    assert.match(speakerHint('MacBook Pro Speakers', 'MacBook Pro Microphone', false)!, /headphones make hands-free best.*half-duplex/);
    assert.equal(speakerHint('MacBook Pro Speakers', 'MacBook Pro Microphone', true), 'Speakers in use: headphones make hands-free best.');
    assert.equal(speakerHint('AirPods Pro', 'AirPods Pro', false), null);
    assert.equal(speakerHint('Speakers (Realtek(R) Audio)', 'Headset Microphone (Jabra)', false), null, 'a headset mic means no echo to fear');
    assert.equal(speakerHint('Scarlett 2i2 USB', 'Scarlett 2i2 USB', false), null, 'unknown: no guess');
  });
});
