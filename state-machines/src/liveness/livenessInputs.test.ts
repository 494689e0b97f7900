import { describe, expect, it } from 'vitest';
import { createActor, transition, type AnyEventObject } from 'xstate';
import { face, FrameScript, seededRandom } from '../__fixtures__/frames.js';
import { emittedOf, replayEvents } from '../__fixtures__/replayEvents.js';
import { isFrontal } from './challengeProgress.js';
import type { FaceObservation } from './FaceObservation.js';
import {
  DEFAULT_LIVENESS_PARAMS,
  resolveLivenessParams,
  type LivenessChallenge,
} from './LivenessParams.js';
import { livenessMachine } from './livenessMachine.js';
import type { LivenessInput, LivenessVerdict } from './livenessTypes.js';

const frame = (observation: FaceObservation) => ({ type: 'FRAME.OBSERVED', observation }) as const;
const run = (
  input: LivenessInput,
  frames: readonly FaceObservation[],
  extra: readonly AnyEventObject[] = [],
) => replayEvents(livenessMachine, input, [...frames.map(frame), ...extra]);
const input = (): LivenessInput => ({ random: seededRandom(3) });

describe('livenessMachine inputs that must never count as evidence', () => {
  it('a tilted head (|roll| beyond frontalMaxRollDeg) is not frontal: positioning does not end', () => {
    const tilted = new FrameScript().add(10, (t) =>
      face(t, { roll: DEFAULT_LIVENESS_PARAMS.frontalMaxRollDeg + 1 }),
    ).frames;
    expect(run(input(), tilted).snapshot.value).toBe('positioning');
    const tiltedOtherWay = new FrameScript().add(10, (t) => face(t, { roll: -40 })).frames;
    expect(run(input(), tiltedOtherWay).snapshot.value).toBe('positioning');
    const upright = new FrameScript().add(3, (t) =>
      face(t, { roll: DEFAULT_LIVENESS_PARAMS.frontalMaxRollDeg }),
    ).frames;
    expect(run(input(), upright).snapshot.value).toBe('challenge');
    // the gate is a parameter
    const lenient = { ...input(), params: { frontalMaxRollDeg: 45 } };
    expect(
      run(lenient, new FrameScript().add(3, (t) => face(t, { roll: 40 })).frames).snapshot.value,
    ).toBe('challenge');
    expect(isFrontal(face(0, { roll: 16 }), DEFAULT_LIVENESS_PARAMS)).toBe(false);
  });

  it('rejects a frontalMaxRollDeg outside 0..90', () => {
    for (const frontalMaxRollDeg of [-1, 91, Number.NaN]) {
      expect(() => resolveLivenessParams({ frontalMaxRollDeg }), String(frontalMaxRollDeg)).toThrow(
        RangeError,
      );
    }
  });

  it('a frame with the same timestamp as the previous one is a duplicate: ignored, never fresh evidence', () => {
    const repeated = [face(1_000), face(1_000), face(1_000), face(1_000)];
    const r = run(input(), repeated);
    expect(r.snapshot.value).toBe('positioning');
    expect(r.snapshot.context.ignoredFrames).toBe(3);
    expect(r.snapshot.context.frontalRun).toBe(1);
    const increasing = [face(1_000), face(1_001), face(1_002)];
    expect(run(input(), increasing).snapshot.value).toBe('challenge');
  });

  it('a face without a pose estimate (NaN angles) is ignored, never read as frontal', () => {
    const noPose = new FrameScript().add(10, (t) =>
      face(t, { yaw: Number.NaN, pitch: Number.NaN, roll: Number.NaN }),
    ).frames;
    const r = run(input(), noPose);
    expect(r.snapshot.value).toBe('positioning');
    expect(r.snapshot.context.ignoredFrames).toBe(10);
    expect(r.snapshot.context.frontalRun).toBe(0);
  });
});

describe('livenessMachine: unknown events and CANCEL in every state', () => {
  /** The frames of a live customer who passes (seed 3). */
  function passedFrames(): FaceObservation[] {
    const challenges = replayEvents(livenessMachine, input(), []).snapshot.context
      .challenges as readonly LivenessChallenge[];
    const script = new FrameScript().frontal(3);
    for (const c of challenges) script.perform(c).frontal(3);
    return script.frames;
  }

  /** A snapshot in each non-final state: positioning, challenge, returnToFrontal; and the finals. */
  function snapshots() {
    const challenges = replayEvents(livenessMachine, input(), []).snapshot.context
      .challenges as readonly LivenessChallenge[];
    const script = new FrameScript();
    const positioning = run(input(), script.frontal(1).frames).snapshot;
    const challenge = run(input(), script.frontal(2).frames).snapshot;
    const returning = run(input(), script.perform(challenges[0]!).frames).snapshot;
    for (const c of challenges.slice(1)) script.frontal(3).perform(c);
    const passed = run(input(), script.frontal(3).frames).snapshot;
    const failed = run(input(), [], [{ type: 'CANCEL' }]).snapshot;
    return { positioning, challenge, returnToFrontal: returning, passed, failed };
  }

  it('reaches each state it tests', () => {
    const s = snapshots();
    expect(Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.value]))).toEqual({
      positioning: 'positioning',
      challenge: 'challenge',
      returnToFrontal: 'returnToFrontal',
      passed: 'passed',
      failed: 'failed',
    });
  });

  it('ignores unknown and malformed events everywhere (no transition, no context change, nothing emitted)', () => {
    for (const [name, snapshot] of Object.entries(snapshots())) {
      for (const event of [
        { type: 'NOT.AN.EVENT' },
        { type: 'FRAME' },
        { type: 'liveness.challenge' },
        { type: 'xstate.done.actor.x' },
      ]) {
        const [next, actions] = transition(livenessMachine, snapshot, event as never);
        expect(next.value, `${name} ${event.type}`).toEqual(snapshot.value);
        expect(next.context).toEqual(snapshot.context);
        expect(emittedOf(actions)).toEqual([]);
      }
    }
  });

  it('CANCEL ends every running state with liveness_cancelled; a finished check keeps its verdict', () => {
    const { passed, failed, ...running } = snapshots();
    for (const [name, snapshot] of Object.entries(running)) {
      const [next] = transition(livenessMachine, snapshot, {
        type: 'CANCEL',
        reason: 'session cancelled',
      });
      expect(next.value, name).toBe('failed');
      expect(next.status).toBe('done');
      expect((next.output as LivenessVerdict).reasons).toEqual(['liveness_cancelled']);
    }
    // a running actor stops at its verdict: a late CANCEL changes nothing
    for (const finish of ['pass', 'cancel'] as const) {
      const actor = createActor(livenessMachine, { input: input() }).start();
      if (finish === 'cancel') actor.send({ type: 'CANCEL' });
      else for (const f of passedFrames()) actor.send(frame(f));
      const before = actor.getSnapshot();
      expect(before.status, finish).toBe('done');
      actor.send({ type: 'CANCEL', reason: 'late' });
      expect(actor.getSnapshot().output).toEqual(before.output);
      expect((before.output as LivenessVerdict).passed).toBe(finish === 'pass');
    }
    expect([passed.value, failed.value]).toEqual(['passed', 'failed']);
  });
});
