import { describe, expect, it } from 'vitest';
import { DEFAULT_MANIFEST } from './DEFAULT_MANIFEST.js';
import { parseManifest } from './parseManifest.js';

const clone = (): { version: number; models: Record<string, unknown>[] } =>
  JSON.parse(JSON.stringify(DEFAULT_MANIFEST)) as {
    version: number;
    models: Record<string, unknown>[];
  };

describe('parseManifest', () => {
  it('round-trips the default manifest through JSON', () => {
    expect(parseManifest(clone())).toEqual(DEFAULT_MANIFEST);
  });

  it.each([
    ['a wrong version', (m: ReturnType<typeof clone>) => void (m.version = 2), /version/],
    ['an unknown task', (m: ReturnType<typeof clone>) => void (m.models[0]!.task = 'age'), /task/],
    [
      'a path in file',
      (m: ReturnType<typeof clone>) => void (m.models[0]!.file = '../evil.onnx'),
      /plain file name/,
    ],
    ['a bad sha256', (m: ReturnType<typeof clone>) => void (m.models[0]!.sha256 = 'abc'), /sha256/],
    [
      'a bad input shape',
      (m: ReturnType<typeof clone>) => void (m.models[0]!.inputShape = [1, 3, 240]),
      /inputShape/,
    ],
    [
      'gray order on 3 channels',
      (m: ReturnType<typeof clone>) => void (m.models[0]!.channelOrder = 'gray'),
      /does not fit/,
    ],
    [
      'a zero std',
      (m: ReturnType<typeof clone>) =>
        void (m.models[0]!.normalisation = { scale: 1, mean: [0], std: [0] }),
      /normalisation/,
    ],
    [
      'a duplicate id',
      (m: ReturnType<typeof clone>) => void (m.models[1]!.id = m.models[0]!.id),
      /duplicate/,
    ],
    [
      'an unknown transform',
      (m: ReturnType<typeof clone>) => void (m.models[5]!.transforms = ['quantise']),
      /transforms/,
    ],
  ])('refuses %s with model_manifest_invalid', (_name, mutate, message) => {
    const m = clone();
    mutate(m);
    expect(() => parseManifest(m)).toThrow(
      expect.objectContaining({
        code: 'model_manifest_invalid',
        message: expect.stringMatching(message) as string,
      }) as Error,
    );
  });

  it('refuses non-objects', () => {
    for (const bad of [null, 1, 'x', [], { version: 1 }])
      expect(() => parseManifest(bad)).toThrow(
        expect.objectContaining({ code: 'model_manifest_invalid' }) as Error,
      );
  });
});
