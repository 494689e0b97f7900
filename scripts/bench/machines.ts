// pnpm bench machines: the per-frame cost of the liveness machine (it runs on every camera
// frame, 15–30 fps) and the cost of a whole session's transitions. Pure machine time: no
// models, no I/O.
import { createActor, fromCallback, fromPromise } from 'xstate';
import {
  livenessMachine,
  sessionMachine,
  type CaptureFaceInput,
  type DocumentReadSummary,
  type FaceCaptureResult,
  type FaceMatchResult,
  type FaceObservation,
  type MatchFaceInput,
  type ReadDocumentInput,
  type RegistrationConfirmation,
  type RegistrationSubmitResult,
} from '@kycd/state-machines';
import { median, quantile, round, timeIt, type BenchContext } from './harness.js';

function frame(t: number, yaw: number, closed = 0.05): FaceObservation {
  return {
    timestampMs: t,
    faceCount: 1,
    trackId: 1,
    yaw,
    pitch: 0,
    roll: 0,
    leftEyeClosed: closed,
    rightEyeClosed: closed,
    spoofScore: 0.95,
    quality: { ok: true, codes: [] },
    planarResidual: 0.1,
    sameAsReference: 0.9,
  };
}

export default async function machines(ctx: BenchContext): Promise<void> {
  // A check that never completes (yaw 30° does not satisfy a blink, the deadline is far): every
  // frame runs the full guard chain and the progress assign.
  const actor = createActor(livenessMachine, {
    input: {
      random: () => 0.99,
      params: { challengePool: ['blink'], challengeCount: 1, challengeDeadlineMs: 1e9 },
    },
  });
  actor.start();
  let t = 0;
  for (let i = 0; i < 3; i++)
    actor.send({ type: 'FRAME.OBSERVED', observation: frame((t += 33), 0) });
  const perFrame = await timeIt(
    () => actor.send({ type: 'FRAME.OBSERVED', observation: frame((t += 33), 30) }),
    20_000,
    500,
  );
  actor.stop();
  ctx.report({
    metric: 'liveness.frame.median',
    value: round(median(perFrame) * 1000, 1),
    unit: 'µs',
    note: '30 fps budget 33 ms',
  });
  ctx.report({
    metric: 'liveness.frame.p99',
    value: round(quantile(perFrame, 0.99) * 1000, 1),
    unit: 'µs',
  });

  const provided = sessionMachine.provide({
    actors: {
      documentPresence: fromCallback(({ sendBack }) =>
        sendBack({ type: 'DOCUMENT.PRESENTED', documentKind: 'emrtd' }),
      ),
      readDocument: fromPromise<DocumentReadSummary, ReadDocumentInput>(async () => ({
        kind: 'emrtd',
        hasPhoto: true,
        genuine: true,
      })),
      captureFace: fromPromise<FaceCaptureResult, CaptureFaceInput>(async () => ({
        passed: true,
        reasons: [],
      })),
      matchFace: fromPromise<FaceMatchResult, MatchFaceInput>(async () => ({
        score: 0.8,
        threshold: 0.35,
        decision: 'match',
      })),
      submitRegistration: fromPromise<RegistrationSubmitResult, RegistrationConfirmation>(
        async () => ({ status: 'queued' }),
      ),
    },
  });
  const session = await timeIt(
    async () => {
      const s = createActor(provided, {
        input: { sessionId: 'bench', consent: { givenAtMs: 0, textId: 'v1' } },
      });
      s.start();
      await new Promise((resolve) => setImmediate(resolve));
      s.send({
        type: 'REGISTRATION.CONFIRMED',
        confirmation: { msisdn: '+8613800000000', operatorId: 'op' },
      });
      await new Promise((resolve) => setImmediate(resolve));
      if (s.getSnapshot().status !== 'done') throw new Error('session did not complete');
      s.stop();
    },
    500,
    20,
  );
  ctx.report({
    metric: 'session.wholeFlow.median',
    value: round(median(session), 3),
    unit: 'ms',
    note: 'fake actors, 9 states',
  });
}
