import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRAME_LIMITS } from './protocolConstants.js';
import { parseClientFrame, type ParseClientFrameResult } from './parseClientFrame.js';

const CODES = ['invalid_json', 'invalid_request', 'unknown_method', 'forbidden', 'invalid_params'];

function refused(result: ParseClientFrameResult): { code: string; id: unknown; message: string } {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.request)}`);
  return { code: result.error.code, id: result.id, message: result.error.message };
}

const consent = { accepted: true, textVersion: '2026-01' };

describe('parseClientFrame', () => {
  it('accepts a hello and returns the typed request', () => {
    const result = parseClientFrame(
      '{"id":1,"method":"hello","params":{"token":"t0k","client":{"name":"pos","version":"1.2"}}}',
    );
    expect(result).toEqual({
      ok: true,
      request: {
        id: 1,
        method: 'hello',
        params: { token: 't0k', client: { name: 'pos', version: '1.2' } },
      },
    });
  });

  it('treats missing params as {}', () => {
    expect(parseClientFrame('{"id":"a","method":"devices.list"}')).toEqual({
      ok: true,
      request: { id: 'a', method: 'devices.list', params: {} },
    });
  });

  it.each([
    ['session.start', { consent }],
    [
      'session.start',
      { consent, documentKinds: ['emrtd'], msisdn: '+8613800138000', reference: 'sale-42' },
    ],
    ['session.get', { sessionId: 's_1' }],
    ['session.cancel', { sessionId: 's_1', reason: 'customer left' }],
    [
      'session.provideMrz',
      {
        sessionId: 's_1',
        mrz: 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10',
      },
    ],
    [
      'session.provideMrz',
      { sessionId: 's_1', documentNumber: 'L898902C3', birthDate: '740812', expiryDate: '120415' },
    ],
    ['session.provideMrz', { sessionId: 's_1', can: '123456' }],
    [
      'session.confirmRegistration',
      {
        sessionId: 's_1',
        msisdn: '8613800138000',
        operatorId: 'op-7',
        confirmedFields: ['fullName'],
      },
    ],
    [
      'session.review',
      { sessionId: 's_1', operatorId: 'op-7', approve: false, note: 'photo too old' },
    ],
    ['session.resume', { sessionId: 's_1', afterSeq: 0 }],
  ])('accepts valid %s params', (method, params) => {
    const result = parseClientFrame(JSON.stringify({ id: 7, method, params }));
    expect(result.ok).toBe(true);
  });

  it('answers invalid_json for text that is not JSON, without an id', () => {
    expect(refused(parseClientFrame('{"id":1,'))).toMatchObject({
      code: 'invalid_json',
      id: undefined,
    });
    expect(refused(parseClientFrame(''))).toMatchObject({ code: 'invalid_json' });
  });

  it('answers invalid_request for frames that are not request objects', () => {
    for (const text of ['[]', 'null', '42', '"hello"', 'true'])
      expect(refused(parseClientFrame(text)).code).toBe('invalid_request');
    expect(refused(parseClientFrame('{"method":"hello"}'))).toMatchObject({
      code: 'invalid_request',
      id: undefined,
    });
    expect(refused(parseClientFrame('{"id":null,"method":"hello"}')).code).toBe('invalid_request');
    expect(refused(parseClientFrame('{"id":{},"method":"hello"}')).code).toBe('invalid_request');
    expect(refused(parseClientFrame(`{"id":"${'x'.repeat(129)}","method":"hello"}`))).toMatchObject(
      { code: 'invalid_request', id: undefined },
    );
  });

  it('answers invalid_request for a non-string (binary) frame instead of throwing', () => {
    expect(
      refused(parseClientFrame(Buffer.from('{"id":1,"method":"hello"}') as unknown as string)).code,
    ).toBe('invalid_request');
    expect(refused(parseClientFrame(undefined as unknown as string)).code).toBe('invalid_request');
  });

  it('keeps the id on envelope errors it can read', () => {
    expect(refused(parseClientFrame('{"id":5}'))).toMatchObject({ code: 'invalid_request', id: 5 });
    expect(refused(parseClientFrame('{"id":5,"method":42}'))).toMatchObject({
      code: 'invalid_request',
      id: 5,
    });
    expect(refused(parseClientFrame('{"id":5,"method":"hello","extra":1}'))).toMatchObject({
      code: 'invalid_request',
      id: 5,
    });
  });

  it('answers unknown_method with the id', () => {
    expect(
      refused(parseClientFrame('{"id":"q","method":"session.destroyEverything"}')),
    ).toMatchObject({ code: 'unknown_method', id: 'q' });
    expect(refused(parseClientFrame('{"id":"q","method":"toString"}')).code).toBe('unknown_method');
    expect(refused(parseClientFrame('{"id":"q","method":"__proto__"}')).code).toBe(
      'unknown_method',
    );
  });

  it('answers forbidden to sim.* methods unless the daemon runs with --sim (they exist, they are not allowed here)', () => {
    const text = '{"id":1,"method":"sim.setCarrier","params":{"mode":"stall"}}';
    const refusal = refused(parseClientFrame(text));
    expect(refusal).toMatchObject({ code: 'forbidden', id: 1 });
    expect(refusal.message).toContain('--sim');
    // Forbidden whatever the params: the method is refused before they are read.
    expect(
      refused(parseClientFrame('{"id":2,"method":"sim.plug","params":{"nope":1}}')),
    ).toMatchObject({ code: 'forbidden', id: 2 });
    expect(parseClientFrame(text, { sim: true }).ok).toBe(true);
    expect(refused(parseClientFrame('{"id":3,"method":"sim.noSuchThing"}')).code).toBe(
      'unknown_method',
    );
  });

  it('answers invalid_params with the failing path', () => {
    const noConsent = parseClientFrame('{"id":1,"method":"session.start","params":{}}');
    expect(refused(noConsent)).toMatchObject({ code: 'invalid_params', id: 1 });
    const declined = parseClientFrame(
      JSON.stringify({
        id: 2,
        method: 'session.start',
        params: { consent: { accepted: false, textVersion: 'v1' } },
      }),
    );
    expect(refused(declined).message).toContain('/consent/accepted');
    if (!declined.ok) expect(declined.error.data?.issues?.[0]?.path).toBe('/consent/accepted');
    for (const params of [
      { consent, unknown: 1 },
      { consent, msisdn: 'call me' },
      { consent, documentKinds: ['passport'] },
      { consent: { accepted: true, textVersion: '' } },
    ]) {
      expect(
        refused(parseClientFrame(JSON.stringify({ id: 3, method: 'session.start', params }))).code,
      ).toBe('invalid_params');
    }
    for (const params of [
      { sessionId: 's', can: '12345' },
      { sessionId: 's', documentNumber: 'L898902C3', birthDate: '741312', expiryDate: '120415' },
      { sessionId: 's', can: '123456', mrz: 'X'.repeat(40) },
      { sessionId: 's' },
    ]) {
      expect(
        refused(parseClientFrame(JSON.stringify({ id: 4, method: 'session.provideMrz', params })))
          .code,
      ).toBe('invalid_params');
    }
    expect(refused(parseClientFrame('{"id":5,"method":"devices.list","params":[]}')).code).toBe(
      'invalid_params',
    );
    expect(
      refused(
        parseClientFrame(
          '{"id":6,"method":"session.resume","params":{"sessionId":"s","afterSeq":-1}}',
        ),
      ).code,
    ).toBe('invalid_params');
    expect(
      refused(
        parseClientFrame(
          '{"id":6,"method":"session.resume","params":{"sessionId":"s","afterSeq":1.5}}',
        ),
      ).code,
    ).toBe('invalid_params');
    expect(
      refused(
        parseClientFrame('{"id":7,"method":"session.get","params":{"sessionId":"../etc/passwd"}}'),
      ).code,
    ).toBe('invalid_params');
    expect(
      refused(parseClientFrame(`{"id":8,"method":"hello","params":{"token":"${'t'.repeat(257)}"}}`))
        .code,
    ).toBe('invalid_params');
  });

  it('refuses prototype-pollution keys anywhere in the frame', () => {
    for (const text of [
      '{"id":1,"method":"hello","params":{"token":"t","__proto__":{"admin":true}}}',
      '{"id":1,"method":"session.start","params":{"consent":{"accepted":true,"textVersion":"v","constructor":{"prototype":{}}}}}',
      '{"__proto__":{"polluted":1},"id":1,"method":"hello"}',
    ]) {
      expect(refused(parseClientFrame(text)).code).toBe('invalid_request');
    }
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
  });

  it('refuses deep nesting before parsing it, even far beyond the stack', () => {
    const deep = `{"id":1,"method":"hello","params":{"token":"t","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const result = refused(parseClientFrame(deep));
    expect(result.code).toBe('invalid_request');
    expect(result.message).toContain(`${FRAME_LIMITS.maxDepth}`);
    // brackets inside strings do not count
    expect(
      parseClientFrame(`{"id":1,"method":"hello","params":{"token":"${'['.repeat(200)}"}}`).ok,
    ).toBe(true);
  });

  it('refuses frames with too many values', () => {
    const wide = JSON.stringify({
      id: 1,
      method: 'hello',
      params: { token: 't', x: Array.from({ length: FRAME_LIMITS.maxNodes + 1 }, () => 0) },
    });
    expect(refused(parseClientFrame(wide)).code).toBe('invalid_request');
  });

  it('handles huge numbers gracefully', () => {
    expect(
      refused(parseClientFrame('{"id":1e400,"method":"hello","params":{"token":"t"}}')).code,
    ).toBe('invalid_request');
    expect(
      refused(
        parseClientFrame(
          '{"id":1,"method":"session.resume","params":{"sessionId":"s","afterSeq":-1e400}}',
        ),
      ).code,
    ).toBe('invalid_request');
    expect(
      refused(
        parseClientFrame(
          '{"id":1,"method":"session.resume","params":{"sessionId":"s","afterSeq":123456789012345678901234567890}}',
        ),
      ),
    ).toMatchObject({
      code: 'invalid_params',
      id: 1,
    });
    expect(parseClientFrame('{"id":1.5e300,"method":"devices.list"}').ok).toBe(true);
  });

  it('never throws and always answers with a defined result (random text)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const result = parseClientFrame(text);
        expect(result).toBeDefined();
        if (!result.ok) expect(CODES).toContain(result.error.code);
      }),
      { numRuns: 1500 },
    );
  });

  it('never throws on random JSON values, and accepts only well-formed requests', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const result = parseClientFrame(JSON.stringify(value));
        expect(result).toBeDefined();
        if (result.ok)
          expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
        else expect(CODES).toContain(result.error.code);
      }),
      { numRuns: 1500 },
    );
  });

  it('never throws on random request-shaped frames, answering with the id whenever it is valid', () => {
    const methods = fc.constantFrom(
      'hello',
      'devices.list',
      'session.start',
      'session.get',
      'session.provideMrz',
      'session.resume',
      'sim.plug',
      'nope',
      '',
    );
    const id = fc.oneof(
      fc.integer(),
      fc.string({ maxLength: 10 }),
      fc.double(),
      fc.constant(null),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(id, methods, fc.anything({ maxDepth: 4 }), (reqId, method, params) => {
        let text: string;
        try {
          text = JSON.stringify({ id: reqId, method, params });
        } catch {
          return; // fc.anything can produce BigInts etc. that JSON cannot carry
        }
        const result = parseClientFrame(text);
        expect(result).toBeDefined();
        if (!result.ok) {
          expect(CODES).toContain(result.error.code);
          const wire = JSON.parse(text) as { id?: unknown };
          const validId =
            (typeof wire.id === 'string' && wire.id.length <= 128) ||
            (typeof wire.id === 'number' && Number.isFinite(wire.id));
          if (validId && result.error.code !== 'invalid_json') expect(result.id).toBe(wire.id);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
