import type { ModelManifest, NpmTarballSource } from './ModelManifest.js';

const FACEPLUGIN = {
  kind: 'npm-tarball',
  package: 'faceplugin-face-recognition-js',
  version: '0.0.1',
  integrity:
    'sha512-shriXjd4zJHEwhK1jHK+bWo8Vv6Vu9B/w6RRsd4AFtNM/jaI2vhuOamOSMl9qQmLd8WlQ7dgqN+3C2iOi5pXWw==',
} as const;

const src = (path: string, sha256: string): NpmTarballSource => ({ ...FACEPLUGIN, path, sha256 });

const LICENCE = 'MIT (faceplugin-face-recognition-js 0.0.1, © Faceplugin)';

/**
 * The default models: the six ONNX files of `faceplugin-face-recognition-js@0.0.1` (MIT). The
 * pre/post-processing facts (channel orders, class indices, crops) were measured on these exact
 * files; see models/README.md.
 */
export const DEFAULT_MANIFEST: ModelManifest = {
  version: 1,
  models: [
    {
      id: 'fr_detect',
      task: 'detection',
      file: 'fr_detect.onnx',
      sha256: '6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854',
      input: 'input',
      inputShape: [1, 3, 240, 320],
      channelOrder: 'bgr',
      normalisation: { scale: 1, mean: [127, 127, 127], std: [128, 128, 128] },
      outputs: ['scores', 'boxes'],
      description:
        'RFB-320 Ultra-Light-Fast-Generic-Face-Detector-1MB; priors decoded in-graph; boxes are normalised x1,y1,x2,y2; scores column 1 = face',
      licence: LICENCE,
      source: src(
        'model/fr_detect.onnx',
        '6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854',
      ),
    },
    {
      id: 'fr_landmark',
      task: 'landmarks',
      file: 'fr_landmark.onnx',
      sha256: 'f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258',
      input: 'input',
      inputShape: [1, 1, 64, 64],
      channelOrder: 'gray',
      normalisation: { scale: 256, mean: [0], std: [1] },
      outputs: ['output'],
      description:
        '68-point landmarks (iBUG order) from the 64×64 gray detection box; output box-normalised x,y pairs',
      licence: LICENCE,
      source: src(
        'model/fr_landmark.onnx',
        'f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258',
      ),
    },
    {
      id: 'fr_pose',
      task: 'pose',
      file: 'fr_pose.onnx',
      sha256: '72d032ec941b7153bf8d3f2c03a4c165453cc7e63d479041ec7c6ef087e5839d',
      input: 'input',
      inputShape: [1, 3, 224, 224],
      channelOrder: 'bgr',
      normalisation: { scale: 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
      outputs: ['output', '617', '618'],
      description: 'HopeNet-lite (ShuffleNetV2): yaw, pitch, roll as 66 bins of 3° each from −99°',
      licence: LICENCE,
      source: src(
        'model/fr_pose.onnx',
        '72d032ec941b7153bf8d3f2c03a4c165453cc7e63d479041ec7c6ef087e5839d',
      ),
    },
    {
      id: 'fr_eye',
      task: 'eye-state',
      file: 'fr_eye.onnx',
      sha256: '1afcea006abc1ccac3c517022abde0aa092bed74ff3c9fe6878483ef9e6e38de',
      input: 'input',
      inputShape: [1, 1, 24, 24],
      channelOrder: 'gray',
      normalisation: { scale: 255, mean: [0], std: [1] },
      outputs: ['output'],
      description: 'Eye open/closed from a 24×24 gray eye crop; softmax class 0 = closed',
      licence: LICENCE,
      source: src(
        'model/fr_eye.onnx',
        '1afcea006abc1ccac3c517022abde0aa092bed74ff3c9fe6878483ef9e6e38de',
      ),
    },
    {
      id: 'fr_liveness',
      task: 'anti-spoof',
      file: 'fr_liveness.onnx',
      sha256: 'afa783b7e902fdfcf323a7240cac2a1c580c25314ea4161129dc1b0d100dc32d',
      input: 'input',
      inputShape: [1, 3, 128, 128],
      channelOrder: 'bgr',
      normalisation: { scale: 1, mean: [0, 0, 0], std: [1, 1, 1] },
      outputs: ['output'],
      description:
        'MiniFASNetV2-SE passive anti-spoof on the face box ×2.7, raw 0–255; softmax class 0 = live, 1 and 2 = spoof types',
      licence: LICENCE,
      source: src(
        'model/fr_liveness.onnx',
        'afa783b7e902fdfcf323a7240cac2a1c580c25314ea4161129dc1b0d100dc32d',
      ),
    },
    {
      id: 'fr_feature',
      task: 'embedding',
      file: 'fr_feature.onnx',
      sha256: '8bf0f473a4556ddfd3ea6aba774bbe5e0bd76c113ef8409629873985a0b67d9f',
      input: 'input',
      inputShape: [1, 3, 112, 112],
      channelOrder: 'bgr',
      normalisation: { scale: 1, mean: [127.5, 127.5, 127.5], std: [128, 128, 128] },
      outputs: ['output'],
      description:
        'MobileFaceNet 512-d embedding of the ArcFace-aligned 112×112 face, B,G,R (separates better than R,G,B: d′ 7.96 vs 7.14); 8,938 denormal weights flushed to zero at install',
      licence: LICENCE,
      source: src(
        'model/fr_feature.onnx',
        '87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581',
      ),
      transforms: ['flush-denormals'],
    },
  ],
};
