import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { installModels } from '@kycd/models';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CliContext } from '../CliContext.js';
import { parseConfig } from '../../config/loadConfig.js';
import { registerFaceCommand } from './face.js';

// The group photos shipped with @vladmandic/face-api (a dev dependency of @kycd/models).
const fromModels = createRequire(createRequire(import.meta.url).resolve('@kycd/models/package.json'));
const sample = (n: number): string => join(dirname(fromModels.resolve('@vladmandic/face-api/package.json')), 'demo', `sample${n}.jpg`);

const ctx: CliContext = {
  dataDir: () => tmpdir(),
  configPath: () => undefined,
  config: async () => parseConfig({}),
  printJson: (v) => process.stdout.write(`${JSON.stringify(v)}\n`),
};

async function run(args: string[]): Promise<{ lines: Record<string, unknown>[]; exitCode: number | undefined }> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const program = new Command('kycd').exitOverride();
  registerFaceCommand(program, ctx);
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['face', ...args], { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  const exitCode = process.exitCode;
  process.exitCode = before;
  return { lines: out.join('').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>), exitCode };
}

let dir: string;
beforeAll(async () => {
  await installModels();
  dir = await mkdtemp(join(tmpdir(), 'kycd-face-cli-'));
  await writeFile(join(dir, 'not-an-image.txt'), 'hello');
  await writeFile(join(dir, 'empty.jpg'), '');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('kycd face', () => {
  it('detect --json prints one line per file; bad files get a per-file error and the rest still run', async () => {
    const { lines, exitCode } = await run(['detect', '--json', join(dir, 'missing.jpg'), sample(3), join(dir, 'not-an-image.txt'), join(dir, 'empty.jpg'), sample(5)]);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ file: join(dir, 'missing.jpg'), error: { code: 'image_unreadable' } });
    expect((lines[1]?.faces as unknown[]).length).toBe(3);
    expect(lines[2]).toMatchObject({ error: { code: 'image_unsupported' } });
    expect(lines[3]).toMatchObject({ error: { code: 'image_empty' } });
    expect((lines[4]?.faces as unknown[]).length).toBe(5);
    const face = (lines[1]?.faces as Record<string, unknown>[])[0]!;
    expect(Object.keys(face)).toEqual(expect.arrayContaining(['box', 'score', 'landmarks', 'pose', 'eyes', 'quality']));
    expect(face.landmarks).toHaveLength(68);
    expect(face).not.toHaveProperty('embedding');
    expect(exitCode).toBe(1);
  });

  it('embed --json adds a unit 512-d embedding per face', async () => {
    const { lines, exitCode } = await run(['embed', '--json', sample(3)]);
    const faces = lines[0]?.faces as { embedding: number[] }[];
    expect(faces).toHaveLength(3);
    for (const f of faces) {
      expect(f.embedding).toHaveLength(512);
      expect(Math.hypot(...f.embedding)).toBeCloseTo(1, 4);
    }
    expect(exitCode).toBeUndefined();
  });

  it('verify --json prints {score, threshold, decision}', async () => {
    const same = await run(['verify', '--json', sample(3), sample(3)]);
    expect(same.lines[0]).toEqual({ score: expect.closeTo(1, 5) as number, threshold: 0.45, decision: 'match' });
    const bad = await run(['verify', '--json', sample(3), join(dir, 'not-an-image.txt')]);
    expect(bad.lines[0]).toMatchObject({ error: { code: 'image_unsupported' } });
    expect(bad.exitCode).toBe(1);
  });
});
