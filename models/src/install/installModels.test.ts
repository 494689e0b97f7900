import { createHash } from 'node:crypto';
import { existsSync, readlinkSync, realpathSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelManifest } from '../manifest/ModelManifest.js';
import { makeTar } from '../__fixtures__/makeTar.js';
import { installModels } from './installModels.js';
import { verifyModelFile } from './verifyModelFile.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

// A "model" with one denormal float inside an ONNX-shaped protobuf: graph(7) → initializer(5) →
// { data_type(2) = 1, raw_data(9) = [0x00000001] }.
const denormalModel = new Uint8Array([0x3a, 10, 0x2a, 8, 0x10, 1, 0x4a, 4, 1, 0, 0, 0]);
const flushedModel = new Uint8Array([0x3a, 10, 0x2a, 8, 0x10, 1, 0x4a, 4, 0, 0, 0, 0]);
const plainModel = new TextEncoder().encode('plain model bytes');

const tarball = gzipSync(
  makeTar([
    { path: 'package/package.json', data: new TextEncoder().encode('{}') },
    { path: 'package/model/a.onnx', data: plainModel },
    { path: 'package/model/b.onnx', data: denormalModel },
    { path: 'package/model/unwanted.onnx', data: new Uint8Array(10) },
  ]),
);
const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
const source = {
  kind: 'npm-tarball',
  package: 'fake-models',
  version: '1.0.0',
  integrity,
} as const;
const base = {
  input: 'input',
  channelOrder: 'rgb',
  normalisation: { scale: 1, mean: [0], std: [1] },
  outputs: ['output'],
  description: 'test',
  licence: 'MIT',
} as const;
const manifest: ModelManifest = {
  version: 1,
  models: [
    {
      ...base,
      id: 'a',
      task: 'detection',
      file: 'a.onnx',
      sha256: sha256(plainModel),
      inputShape: [1, 3, 2, 2],
      source: { ...source, path: 'model/a.onnx', sha256: sha256(plainModel) },
    },
    {
      ...base,
      id: 'b',
      task: 'embedding',
      file: 'b.onnx',
      sha256: sha256(flushedModel),
      inputShape: [1, 3, 2, 2],
      source: { ...source, path: 'model/b.onnx', sha256: sha256(denormalModel) },
      transforms: ['flush-denormals'],
    },
  ],
};

function fakeRegistry(options: { integrity?: string; tarball?: Uint8Array } = {}): typeof fetch {
  return vi.fn(async (url: string | URL | Request) => {
    const u = String(url);
    if (u === 'https://registry.test/fake-models/1.0.0') {
      return Response.json({
        dist: {
          tarball: 'https://registry.test/fake-models/-/fake-models-1.0.0.tgz',
          integrity: options.integrity ?? integrity,
        },
      });
    }
    if (u.endsWith('.tgz')) return new Response(options.tarball ?? tarball);
    return new Response('not found', { status: 404 });
  }) as unknown as typeof fetch;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kycd-models-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('installModels', () => {
  it('fetches, verifies, flushes, writes atomically, keeps the source copy; a second run fetches nothing', async () => {
    const f = fakeRegistry();
    const first = await installModels({
      modelsDir: dir,
      manifest,
      registry: 'https://registry.test',
      fetch: f,
    });
    expect(first.models.map((m) => [m.id, m.status])).toEqual([
      ['a', 'installed'],
      ['b', 'installed'],
    ]);
    expect(first.models[1]?.flushed).toBe(1);
    expect(new Uint8Array(await readFile(join(dir, 'b.onnx')))).toEqual(flushedModel);
    expect(new Uint8Array(await readFile(join(dir, 'source', 'b.onnx')))).toEqual(denormalModel);
    await expect(readFile(join(dir, 'unwanted.onnx'))).rejects.toThrow();
    expect(f).toHaveBeenCalledTimes(2);

    const again = vi.fn() as unknown as typeof fetch;
    const second = await installModels({
      modelsDir: dir,
      manifest,
      registry: 'https://registry.test',
      fetch: again,
    });
    expect(second.models.every((m) => m.status === 'present')).toBe(true);
    expect(again).not.toHaveBeenCalled();
  });

  it.runIf(existsSync('/proc/self/fd'))(
    'fsyncs each written file and then its directory, after the rename',
    async () => {
      // Record what every FileHandle.sync() call synced, by path, in order.
      const probe = await open(join(dir, 'probe'), 'w');
      const proto = Object.getPrototypeOf(probe) as { sync(this: FileHandle): Promise<void> };
      await probe.close();
      const synced: string[] = [];
      const original = proto.sync;
      const spy = vi.spyOn(proto, 'sync').mockImplementation(async function (this: FileHandle) {
        synced.push(readlinkSync(`/proc/self/fd/${this.fd}`));
        return original.call(this);
      });
      try {
        await installModels({
          modelsDir: dir,
          manifest,
          registry: 'https://registry.test',
          fetch: fakeRegistry(),
        });
      } finally {
        spy.mockRestore();
      }
      const real = realpathSync(dir);
      // a.onnx, then b.onnx's source copy, then b.onnx: each temporary file, then its directory.
      expect(synced.map((p) => p.replace(/\.[0-9a-f]{12}\.tmp$/, '.tmp'))).toEqual([
        join(real, 'a.onnx.tmp'),
        real,
        join(real, 'source', 'b.onnx.tmp'),
        join(real, 'source'),
        join(real, 'b.onnx.tmp'),
        real,
      ]);
    },
  );

  it('re-installs an altered file, and verifyModelFile names the file and both checksums first', async () => {
    await installModels({
      modelsDir: dir,
      manifest,
      registry: 'https://registry.test',
      fetch: fakeRegistry(),
    });
    await writeFile(join(dir, 'a.onnx'), 'tampered');
    const err = await verifyModelFile(dir, manifest.models[0]!).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'model_checksum_mismatch' });
    expect(String((err as Error).message)).toContain('a.onnx');
    expect(String((err as Error).message)).toContain(sha256(plainModel));
    const r = await installModels({
      modelsDir: dir,
      manifest,
      registry: 'https://registry.test',
      fetch: fakeRegistry(),
    });
    expect(r.models.map((m) => m.status)).toEqual(['installed', 'present']);
    expect(new Uint8Array(await verifyModelFile(dir, manifest.models[0]!))).toEqual(plainModel);
  });

  it('reports a missing file as model_file_missing', async () => {
    await expect(verifyModelFile(dir, manifest.models[0]!)).rejects.toMatchObject({
      code: 'model_file_missing',
    });
  });

  it('refuses a registry that publishes another integrity, and a tarball that does not match it', async () => {
    await expect(
      installModels({
        modelsDir: dir,
        manifest,
        registry: 'https://registry.test',
        fetch: fakeRegistry({ integrity: 'sha512-AAAA' }),
      }),
    ).rejects.toMatchObject({ code: 'model_integrity_mismatch' });
    await expect(
      installModels({
        modelsDir: dir,
        manifest,
        registry: 'https://registry.test',
        fetch: fakeRegistry({ tarball: gzipSync(new Uint8Array(1024)) }),
      }),
    ).rejects.toMatchObject({ code: 'model_integrity_mismatch' });
  });

  it('refuses a tarball file whose sha256 differs from the manifest', async () => {
    const wrong: ModelManifest = {
      ...manifest,
      models: [
        {
          ...manifest.models[0]!,
          source: { ...manifest.models[0]!.source!, sha256: '0'.repeat(64) },
        },
      ],
    };
    await expect(
      installModels({
        modelsDir: dir,
        manifest: wrong,
        registry: 'https://registry.test',
        fetch: fakeRegistry(),
      }),
    ).rejects.toMatchObject({ code: 'model_checksum_mismatch' });
  });

  it('reports an unreachable registry as model_fetch_failed', async () => {
    const down = vi.fn(async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    await expect(
      installModels({ modelsDir: dir, manifest, registry: 'https://registry.test', fetch: down }),
    ).rejects.toMatchObject({ code: 'model_fetch_failed' });
  });
});
