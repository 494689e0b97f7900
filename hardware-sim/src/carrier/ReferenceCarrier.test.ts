import { generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferenceCarrier } from './ReferenceCarrier.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
let carrier: ReferenceCarrier;
let url: string;
let keyId: string;
beforeAll(async () => {
  carrier = new ReferenceCarrier({
    trustedKeys: [publicKey.export({ type: 'spki', format: 'pem' }) as string],
  });
  keyId = carrier.trust(publicKey);
  url = await carrier.start();
});
afterAll(() => carrier.stop());

function post(body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}
function signed(record: Record<string, unknown>): {
  body: string;
  headers: Record<string, string>;
} {
  const body = JSON.stringify(record);
  const sig = sign(null, Buffer.from(body), privateKey).toString('base64url');
  return {
    body,
    headers: {
      'idempotency-key': String(record.registrationId),
      'kycd-signature': `keyId="${keyId}", alg="ed25519", sig="${sig}"`,
    },
  };
}

describe('ReferenceCarrier', () => {
  it('accepts a signed registration once and answers repeats idempotently', async () => {
    const { body, headers } = signed({ registrationId: 'r-1', sessionId: 's-1', keyId });
    expect((await post(body, headers)).status).toBe(201);
    const again = await post(body, headers);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ replay: true });
    expect(carrier.received().filter((d) => d.registrationId === 'r-1')).toHaveLength(1);
    const other = signed({ registrationId: 'r-1', sessionId: 's-other', keyId });
    expect((await post(other.body, other.headers)).status).toBe(422);
  });

  it('fails, stalls and rejects on cue', async () => {
    carrier.behaveNext(1, { mode: 'fail', status: 502 });
    carrier.behaveNext(1, { mode: 'reject', status: 409, reason: 'duplicate subscriber' });
    const a = signed({ registrationId: 'r-2', sessionId: 's-2', keyId });
    expect((await post(a.body, a.headers)).status).toBe(502);
    const rejected = await post(a.body, a.headers);
    expect(rejected.status).toBe(409);
    expect(await rejected.json()).toEqual({ accepted: false, reason: 'duplicate subscriber' });
    carrier.behaveNext(1, { mode: 'stall' });
    const abort = AbortSignal.timeout(100);
    await expect(
      fetch(url, { method: 'POST', headers: a.headers, body: a.body, signal: abort }),
    ).rejects.toThrow();
    expect((await post(a.body, a.headers)).status).toBe(201);
  });

  it('never accepts a request that is not correctly signed (fuzz)', async () => {
    const before = carrier.received().length;
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 200 }),
        fc.record({
          'idempotency-key': fc.string({ maxLength: 40 }),
          'kycd-signature': fc.oneof(
            fc.string({ maxLength: 120 }),
            fc.constant(`keyId="${keyId}", alg="ed25519", sig="${'A'.repeat(86)}"`),
          ),
        }),
        async (body, headers) => {
          const safeHeaders = Object.fromEntries(
            Object.entries(headers).filter(([, v]) => /^[\x20-\x7e]*$/.test(v)),
          );
          const res = await post(body, safeHeaders);
          await res.text();
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 80 },
    );
    expect(carrier.received().length).toBe(before);
  });
});
