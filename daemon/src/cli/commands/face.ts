import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Face, FaceAnalysis, RgbFrame } from '@kycd/models';
import type { CliContext } from '../CliContext.js';

interface FaceOptions {
  json?: boolean;
  maxFaces?: string;
  modelsDir?: string;
  antiSpoof?: boolean;
  threshold?: string;
}

interface FileError {
  file: string;
  error: { code: string; message: string };
}

const round = (v: number, digits = 4): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** The JSON form of a face: numbers rounded for reading, embedding at full float32 precision. */
function faceJson(face: Face, embedding?: Float32Array): Record<string, unknown> {
  return {
    box: {
      x1: round(face.box.x1, 1),
      y1: round(face.box.y1, 1),
      x2: round(face.box.x2, 1),
      y2: round(face.box.y2, 1),
    },
    score: round(face.score),
    ...(face.landmarks === undefined
      ? {}
      : { landmarks: face.landmarks.map((p) => [round(p.x, 1), round(p.y, 1)]) }),
    ...(face.pose === undefined
      ? {}
      : {
          pose: {
            yaw: round(face.pose.yaw, 2),
            pitch: round(face.pose.pitch, 2),
            roll: round(face.pose.roll, 2),
          },
        }),
    ...(face.eyes === undefined
      ? {}
      : {
          eyes: {
            leftClosed: round(face.eyes.leftClosed),
            rightClosed: round(face.eyes.rightClosed),
          },
        }),
    ...(face.antiSpoof === undefined ? {} : { antiSpoof: { pLive: round(face.antiSpoof.pLive) } }),
    ...(face.quality === undefined
      ? {}
      : {
          quality: {
            faceSize: round(face.quality.faceSize),
            centreOffset: round(face.quality.centreOffset),
            outsideFraction: round(face.quality.outsideFraction),
            sharpness: round(face.quality.sharpness, 1),
            brightness: round(face.quality.brightness, 1),
            codes: face.quality.codes,
          },
        }),
    ...(embedding === undefined ? {} : { embedding: Array.from(embedding) }),
  };
}

async function loadImage(file: string): Promise<RgbFrame> {
  const { decodeImage, ModelError } = await import('@kycd/models');
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    const why =
      typeof cause === 'object' && cause !== null && 'code' in cause
        ? String(cause.code)
        : 'read error';
    throw new ModelError('image_unreadable', `cannot read ${file} (${why})`, { cause });
  }
  return decodeImage(bytes);
}

function toFileError(file: string, err: unknown): FileError {
  const code =
    typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
      ? err.code
      : 'internal';
  return { file, error: { code, message: err instanceof Error ? err.message : String(err) } };
}

/**
 * `kycd face detect|embed|verify [--json] FILE...`: run the face engine on image files.
 * `detect` and `embed` print one JSON line per file, `{file, faces: [...]}` (embed adds each
 * face's 512-d `embedding`), at most `--max-faces` faces (default the detector's cap,
 * `DETECTOR_DEFAULTS.maxFaces` = 16; a larger value lifts the cap), the subject first; `verify A B` prints `{score, threshold, decision}` for the subject
 * face of each. A file that cannot be read or decoded prints `{file, error: {code, message}}`
 * and the others still run; the exit code is then 1.
 */
export function registerFaceCommand(program: Command, ctx: CliContext): void {
  const face = program
    .command('face')
    .description('run face detection, analysis, embedding and 1:1 verification on image files');

  const withEngine = async <T>(
    command: Command,
    opts: FaceOptions,
    fn: (fa: FaceAnalysis) => Promise<T>,
  ): Promise<T> => {
    const { loadFaceAnalysis } = await import('../../wiring/loadFaceAnalysis.js');
    const config = (await ctx.config(command)).face;
    const threshold =
      opts.threshold === undefined ? config.verifyThreshold : Number(opts.threshold);
    if (!Number.isFinite(threshold))
      throw new RangeError(`--threshold: not a number: ${opts.threshold}`);
    const fa = await loadFaceAnalysis(config, {
      ...(opts.modelsDir === undefined ? {} : { modelsDir: opts.modelsDir }),
      verifyThreshold: threshold,
    });
    try {
      return await fn(fa);
    } finally {
      await fa.release();
    }
  };

  const line = (opts: FaceOptions, value: Record<string, unknown>, human: string): void => {
    if (opts.json === true) process.stdout.write(`${JSON.stringify(value)}\n`);
    else process.stdout.write(`${human}\n`);
  };

  const perFile = (name: 'detect' | 'embed', description: string): void => {
    face
      .command(`${name} <files...>`)
      .description(description)
      .option('--json', 'one JSON object per line')
      .option('--models-dir <dir>', 'models directory')
      .option('--anti-spoof', 'also run the passive anti-spoof model')
      .option('--max-faces <n>', "faces per image at most (default: the detector's cap, 16)")
      .action(async (files: string[], opts: FaceOptions, command: Command) => {
        let failed = 0;
        const { DETECTOR_DEFAULTS } = await import('@kycd/models');
        const maxFaces =
          opts.maxFaces === undefined ? DETECTOR_DEFAULTS.maxFaces : Number(opts.maxFaces);
        if (!Number.isInteger(maxFaces) || maxFaces < 1 || maxFaces > 1000)
          throw new RangeError(`--max-faces: expected an integer 1..1000, got ${opts.maxFaces}`);
        await withEngine(command, opts, async (fa) => {
          for (const file of files) {
            try {
              const frame = await loadImage(file);
              const faces = await fa.analyze(frame, {
                maxFaces,
                antiSpoof: opts.antiSpoof === true,
              });
              const out = [];
              for (const f of faces)
                out.push(faceJson(f, name === 'embed' ? await fa.embed(frame, f) : undefined));
              line(
                opts,
                { file, faces: out },
                `${file}: ${faces.length} face(s)${faces.map((f) => ` [score ${f.score.toFixed(2)} yaw ${f.pose?.yaw.toFixed(0)}° ${f.quality?.codes.join(',') || 'ok'}]`).join('')}`,
              );
            } catch (err) {
              failed++;
              const e = toFileError(file, err);
              line(opts, { ...e }, `${file}: error ${e.error.code}: ${e.error.message}`);
            }
          }
        });
        if (failed > 0) process.exitCode = 1;
      });
  };
  perFile('detect', 'detect and analyse faces: box, score, 68 landmarks, pose, eyes, quality');
  perFile('embed', "as detect, plus each face's L2-normalised 512-d embedding");

  face
    .command('verify <a> <b>')
    .description('1:1 verification of the subject face of two images: {score, threshold, decision}')
    .option('--json', 'print JSON')
    .option('--models-dir <dir>', 'models directory')
    .option('--threshold <t>', 'decision threshold (default: face.verifyThreshold)')
    .action(async (a: string, b: string, opts: FaceOptions, command: Command) => {
      await withEngine(command, opts, async (fa) => {
        const embeddings: Float32Array[] = [];
        const errors: FileError[] = [];
        for (const file of [a, b]) {
          try {
            embeddings.push((await fa.embedSubject(await loadImage(file))).embedding);
          } catch (err) {
            errors.push(toFileError(file, err));
          }
        }
        if (errors.length > 0) {
          for (const e of errors)
            line(opts, { ...e }, `${e.file}: error ${e.error.code}: ${e.error.message}`);
          process.exitCode = 1;
          return;
        }
        const v = fa.verify(embeddings[0] as Float32Array, embeddings[1] as Float32Array);
        line(
          opts,
          { score: round(v.score, 6), threshold: v.threshold, decision: v.decision },
          `${v.decision} (score ${v.score.toFixed(4)}, threshold ${v.threshold})`,
        );
      });
    });
}
