import type { FaceAnalysis } from '@kycd/models';
import type { LivenessParams } from '@kycd/state-machines';
import { withPreview, type FramePreviewOptions } from '../face/FramePreview.js';
import { matchFaces } from '../face/matchFaces.js';
import {
  runLiveness,
  type LivenessChallengeEvent,
  type TimedRgbFrame,
} from '../face/runLiveness.js';
import type { FaceServices } from '../sessions/createSessionServices.js';

export interface FaceServicesOptions {
  analysis: FaceAnalysis;
  /** Open the camera stream for one attempt; it ends when `signal` aborts. */
  openFrames: (signal: AbortSignal) => AsyncIterable<TimedRgbFrame>;
  livenessParams?: Partial<LivenessParams>;
  random?: () => number;
  /** Told every challenge as it starts and ends (the simulator's virtual customer follows it). */
  onChallenge?: (event: LivenessChallengeEvent) => void;
  /** Send `face.preview` frames to the POS (config `camera.preview`; off when absent). */
  preview?: FramePreviewOptions;
}

/**
 * The face side of a session: one liveness attempt over the camera stream (guidance and
 * challenges go out as `face.guidance` / `liveness.challenge`), and the 1:1 match of the best
 * frame against the document photo.
 */
export function createFaceServices(options: FaceServicesOptions): FaceServices {
  const { analysis } = options;
  return {
    async captureFace({ signal, publish, onPhase }) {
      const streamAbort = new AbortController();
      const stop = (): void => streamAbort.abort();
      signal.addEventListener('abort', stop, { once: true });
      try {
        const result = await runLiveness({
          frames:
            options.preview === undefined
              ? options.openFrames(streamAbort.signal)
              : withPreview(options.openFrames(streamAbort.signal), options.preview, (p) =>
                  publish('face.preview', p),
                ),
          analysis,
          signal,
          ...(options.random === undefined ? {} : { random: options.random }),
          ...(options.livenessParams === undefined ? {} : { params: options.livenessParams }),
          onGuidance: (g) => publish('face.guidance', g),
          onChallenge: (e) => {
            options.onChallenge?.(e);
            if (e.type === 'challenge.started') {
              // the customer is positioned: the first challenge starts the liveness phase
              if (e.index === 0) onPhase?.('liveness');
              publish('liveness.challenge', {
                challenge: e.challenge,
                index: e.index,
                total: e.count,
                deadlineMs: e.deadlineMs ?? 0,
              });
            }
          },
        });
        const { verdict, evidence } = result;
        if (result.bestFrame !== undefined) onPhase?.('bestFrame');
        return {
          verdict: { passed: verdict.passed, reasons: [...verdict.reasons] },
          ...(result.bestFrame === undefined ? {} : { bestFrame: result.bestFrame }),
          evidence: evidence as unknown as Record<string, unknown>,
        };
      } finally {
        signal.removeEventListener('abort', stop);
        stop();
      }
    },
    async matchFace({ live, document, signal }) {
      const photo = document.photo?.rgb;
      if (photo === undefined) throw new RangeError('matchFace needs a decoded document photo');
      return matchFaces(live, photo, { analysis, signal });
    },
  };
}
