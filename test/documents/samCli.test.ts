/** `kycd sam read|status` as store IT runs it: JSON on stdout, errors as `{error}` with exit code 1. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKycdJson } from '../helpers/runKycd.js';

const kycd = runKycdJson;

describe('kycd sam', () => {
  it('read --sim reads the synthetic card through a pty and writes the photo', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kycd-sam-cli-'));
    try {
      const out = join(dir, 'photo.png');
      const { code, json } = await kycd(['sam', 'read', '--sim', '--photo-out', out]);
      expect(code).toBe(0);
      expect(json).toMatchObject({
        type: 'cn-resident-id',
        fields: { documentNumber: '11010519491231002X' },
        photo: { width: 102, height: 126 },
        authenticity: { genuine: true },
      });
      const png = await readFile(out);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a missing reader prints document_reader_unavailable and exits 1', async () => {
    const { code, json } = await kycd(['sam', 'read', '--device', '/dev/kycd-no-such-reader']);
    expect(code).toBe(1);
    expect(json).toMatchObject({ error: { code: 'document_reader_unavailable' } });
  });
});
