/** `kycd document read` as store IT runs it: JSON on stdout, errors as `{error}` with exit code 1. */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKycdJson } from '../helpers/runKycd.js';

const kycd = runKycdJson;

describe('kycd document read', () => {
  it('--sim with a full MRZ reads the virtual passport, prints {type, fields, photo, authenticity, timing} and writes the photo', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kycd-doc-cli-'));
    try {
      const out = join(dir, 'face.jpg');
      const mrz =
        'P<UTOSPECIMEN<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F3404159ZE184226B<<<<<16';
      const { code, json, stderr } = await kycd([
        'document',
        'read',
        '--sim',
        '--mrz',
        mrz,
        '--photo-out',
        out,
        '--json',
      ]);
      expect(code).toBe(0);
      expect(json).toMatchObject({
        type: 'emrtd',
        accessControl: 'PACE',
        fields: { documentNumber: 'L898902C3', surname: 'SPECIMEN', birthDate: '1974-08-12' },
        photo: { format: 'jpeg', width: 240, height: 320 },
        authenticity: {
          passiveAuthentication: { status: 'passed' },
          chipAuthentication: { status: 'passed' },
          activeAuthentication: { status: 'passed' },
          genuine: true,
        },
      });
      expect((json.timing as Record<string, number>).apdus).toBeGreaterThan(10);
      const jpeg = await readFile(out);
      expect(createHash('sha256').update(jpeg).digest('hex')).toBe(
        (json.photo as { sha256: string }).sha256,
      );
      expect(stderr).toMatch(/read DG2/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reports a swapped photo as not genuine (exit 0, the data is the caller's to refuse)", async () => {
    const { code, json } = await kycd([
      'document',
      'read',
      '--sim',
      '--sim-fault',
      'hashMismatch',
      '--document-number',
      'L898902C3',
      '--birth-date',
      '740812',
      '--expiry-date',
      '340415',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      authenticity: {
        passiveAuthentication: { status: 'failed', code: 'document_hash_mismatch' },
        genuine: false,
      },
    });
  });

  it('prints {error} with a stable code and exits 1: wrong keys, bad check digit, no credentials', async () => {
    const wrong = await kycd([
      'document',
      'read',
      '--sim',
      '--document-number',
      'L898902C3',
      '--birth-date',
      '740812',
      '--expiry-date',
      '340416',
      '--json',
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.json).toMatchObject({
      error: {
        code: 'document_access_denied',
        data: { protocol: 'PACE', step: 'mutualAuthenticate' },
      },
    });
    const badMrz = await kycd([
      'document',
      'read',
      '--sim',
      '--mrz',
      'P<UTOSPECIMEN<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C37UTO7408122F3404159ZE184226B<<<<<16',
      '--json',
    ]);
    expect(badMrz.json).toMatchObject({ error: { code: 'document_credentials_invalid' } });
    const none = await kycd(['document', 'read', '--sim', '--json']);
    expect(none.json).toMatchObject({ error: { code: 'document_credentials_required' } });
  });
});
