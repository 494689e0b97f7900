import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import sharp from 'sharp';
import { installModels } from '@kycd/models';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CliContext } from '../CliContext.js';
import { parseConfig } from '../../config/loadConfig.js';
import { registerFaceCommand } from './face.js';

// The group photos shipped with @vladmandic/face-api (a dev dependency of @kycd/models).
const fromModels = createRequire(
  createRequire(import.meta.url).resolve('@kycd/models/package.json'),
);
const sample = (n: number): string =>
  join(dirname(fromModels.resolve('@vladmandic/face-api/package.json')), 'demo', `sample${n}.jpg`);

const ctx: CliContext = {
  dataDir: () => tmpdir(),
  configPath: () => undefined,
  config: async () => parseConfig({}),
  printJson: (v) => process.stdout.write(`${JSON.stringify(v)}\n`),
};

async function run(
  args: string[],
): Promise<{ lines: Record<string, unknown>[]; exitCode: number | undefined }> {
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
  return {
    lines: out
      .join('')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
    exitCode,
  };
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
    const { lines, exitCode } = await run([
      'detect',
      '--json',
      join(dir, 'missing.jpg'),
      sample(3),
      join(dir, 'not-an-image.txt'),
      join(dir, 'empty.jpg'),
      sample(5),
    ]);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({
      file: join(dir, 'missing.jpg'),
      error: { code: 'image_unreadable' },
    });
    expect((lines[1]?.faces as unknown[]).length).toBe(3);
    expect(lines[2]).toMatchObject({ error: { code: 'image_unsupported' } });
    expect(lines[3]).toMatchObject({ error: { code: 'image_empty' } });
    expect((lines[4]?.faces as unknown[]).length).toBe(5);
    const face = (lines[1]?.faces as Record<string, unknown>[])[0]!;
    expect(Object.keys(face)).toEqual(
      expect.arrayContaining(['box', 'score', 'landmarks', 'pose', 'eyes', 'quality']),
    );
    expect(face.landmarks).toHaveLength(68);
    expect(face).not.toHaveProperty('embedding');
    expect(exitCode).toBe(1);
  });

  it('detect reports up to the detector cap of 16 faces by default, more with --max-faces', async () => {
    // 20 copies of one face on a 5 × 4 grid (the subject of a face-api.js sample photo, as found by detect).
    const found = await run(['detect', '--json', sample(3)]);
    const { box } = (
      found.lines[0]?.faces as { box: { x1: number; y1: number; x2: number; y2: number } }[]
    )[0]!;
    const side = Math.round((box.x2 - box.x1) * 1.6);
    const left = Math.max(0, Math.round(box.x1 - (box.x2 - box.x1) * 0.3));
    const top = Math.max(0, Math.round(box.y1 - (box.y2 - box.y1) * 0.3));
    const cell = await sharp(sample(3))
      .extract({ left, top, width: side, height: side })
      .resize(120, 120)
      .png()
      .toBuffer();
    const grid = join(dir, 'grid.jpg');
    await sharp({
      create: { width: 640, height: 512, channels: 3, background: { r: 128, g: 128, b: 128 } },
    })
      .composite(
        Array.from({ length: 20 }, (_, i) => ({
          input: cell,
          left: (i % 5) * 128 + 4,
          top: Math.floor(i / 5) * 128 + 4,
        })),
      )
      .jpeg()
      .toFile(grid);
    const byDefault = await run(['detect', '--json', grid]);
    expect(byDefault.lines[0]?.faces).toHaveLength(16);
    const more = await run(['detect', '--json', '--max-faces', '20', grid]);
    expect(more.lines[0]?.faces).toHaveLength(20);
    const fewer = await run(['detect', '--json', '--max-faces', '2', grid]);
    expect(fewer.lines[0]?.faces).toHaveLength(2);
    await expect(run(['detect', '--json', '--max-faces', '0', grid])).rejects.toThrow(
      /--max-faces/,
    );
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
    expect(same.lines[0]).toEqual({
      score: expect.closeTo(1, 5) as number,
      threshold: 0.45,
      decision: 'match',
    });
    const bad = await run(['verify', '--json', sample(3), join(dir, 'not-an-image.txt')]);
    expect(bad.lines[0]).toMatchObject({ error: { code: 'image_unsupported' } });
    expect(bad.exitCode).toBe(1);
  });
});
