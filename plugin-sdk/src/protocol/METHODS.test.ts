import { Kind, type TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { EVENTS, EVENT_NAMES } from './EVENTS.js';
import { METHODS, METHOD_NAMES } from './METHODS.js';
import { validateEvent, validateResult } from './validateMessage.js';

/** Every place in a schema where a client-controlled value could be unbounded. */
function unbounded(schema: TSchema, path: string, out: string[]): string[] {
  const kind = (schema as { [Kind]?: string })[Kind];
  const s = schema as Record<string, unknown>;
  switch (kind) {
    case 'String':
      if (typeof s['maxLength'] !== 'number') out.push(`${path}: string without maxLength`);
      break;
    case 'Array':
      if (typeof s['maxItems'] !== 'number') out.push(`${path}: array without maxItems`);
      unbounded(s['items'] as TSchema, `${path}[]`, out);
      break;
    case 'Object':
      if (s['additionalProperties'] !== false)
        out.push(`${path}: object allows additional properties`);
      for (const [key, child] of Object.entries(s['properties'] as Record<string, TSchema>))
        unbounded(child, `${path}/${key}`, out);
      break;
    case 'Union':
      for (const [i, child] of (s['anyOf'] as TSchema[]).entries())
        unbounded(child, `${path}|${i}`, out);
      break;
    case 'Literal':
    case 'Boolean':
    case 'Integer':
    case 'Number':
      break;
    default:
      out.push(`${path}: unexpected schema kind ${String(kind)}`);
  }
  return out;
}

describe('METHODS', () => {
  it('declares the contract methods of DESIGN.md', () => {
    for (const m of [
      'hello',
      'devices.list',
      'session.start',
      'session.get',
      'session.cancel',
      'session.provideMrz',
      'session.confirmRegistration',
      'session.resume',
    ]) {
      expect(METHOD_NAMES).toContain(m);
    }
  });

  it.each(METHOD_NAMES)('%s params: objects closed, strings and arrays bounded', (name) => {
    expect(unbounded(METHODS[name].params, name, [])).toEqual([]);
  });

  it('needs auth for everything but hello; sim.* are sim-only', () => {
    for (const name of METHOD_NAMES) {
      expect(METHODS[name].auth).toBe(name !== 'hello');
      expect((METHODS[name] as { simOnly?: boolean }).simOnly === true).toBe(
        name.startsWith('sim.'),
      );
      expect(METHODS[name].description.length).toBeGreaterThan(10);
    }
  });

  it('validates results', () => {
    const snapshot = {
      sessionId: 's1',
      state: 'document',
      step: 'document',
      createdAt: '2026-11-22T13:00:00.000Z',
      updatedAt: '2026-11-22T13:00:01.000Z',
      expiresAt: '2026-11-22T13:10:00.000Z',
      lastSeq: 2,
      document: {
        kind: 'emrtd',
        summary: { fullName: 'ANNA ERIKSSON' },
        accessControl: 'PACE',
        genuine: true,
      },
    };
    expect(validateResult('session.get', snapshot)).toEqual({ ok: true });
    expect(validateResult('session.resume', { snapshot, replayed: 3 })).toEqual({ ok: true });
    const bad = validateResult('session.get', { ...snapshot, lastSeq: -1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]?.path).toBe('/lastSeq');
    expect(validateResult('sim.plug', { ok: true })).toEqual({ ok: true });
    expect(
      validateResult('hello', {
        protocol: 'kycd.v1',
        daemonVersion: '0.1.0',
        capabilities: [],
        devices: [],
        terminal: { id: 't', name: 'till' },
      }),
    ).toEqual({ ok: true });
  });
});

describe('EVENTS', () => {
  it('has data schemas and descriptions for every event', () => {
    for (const name of EVENT_NAMES) {
      expect(EVENTS[name].description.length).toBeGreaterThan(10);
      expect(EVENTS[name].session).toBe(name !== 'device.changed');
    }
  });

  it('validates event frames: envelope, then data', () => {
    expect(
      validateEvent({
        event: 'session.state',
        data: { state: 'face', step: 'face', previous: 'document' },
        sessionId: 's1',
        seq: 4,
      }),
    ).toEqual({ ok: true });
    expect(
      validateEvent({
        event: 'face.guidance',
        data: { code: 'move_closer', message: { en: 'Move closer', 'zh-CN': '请靠近一点' } },
        sessionId: 's1',
        seq: 5,
      }),
    ).toEqual({ ok: true });
    expect(
      validateEvent({
        event: 'device.changed',
        data: {
          device: {
            id: 'cam0',
            kind: 'camera',
            name: 'Sim camera',
            state: 'ready',
            simulated: true,
          },
        },
        seq: 1,
      }),
    ).toEqual({ ok: true });
    const badData = validateEvent({
      event: 'liveness.challenge',
      data: { challenge: 'smile', index: 0, total: 3, deadlineMs: 5000 },
      sessionId: 's1',
      seq: 6,
    });
    expect(badData.ok).toBe(false);
    if (!badData.ok) expect(badData.issues[0]?.path).toBe('/data/challenge');
    expect(validateEvent({ event: 'session.state', data: {}, seq: 1.5 }).ok).toBe(false);
    expect(validateEvent({ event: 'no.such', data: {}, seq: 1 }).ok).toBe(false);
  });
});
