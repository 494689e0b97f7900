/**
 * An RGB image in memory: `data` holds width × height pixels, R,G,B interleaved, row-major,
 * 8 bits per sample, no padding.
 */
export interface RgbFrame {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** An axis-aligned box in frame pixels; (x1, y1) top-left, (x2, y2) bottom-right. */
export interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/** A point in frame pixels. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * Head pose in degrees (HopeNet: 66 bins of 3°, about ±99°). Yaw sign on a raw (unmirrored)
 * frame, tested: negative yaw = nose towards the image's right = the person turned to their own
 * left; mirroring the frame flips the signs of yaw and roll. Pitch and roll follow HopeNet's
 * 300W-LP convention; HopeNet reads about −10° pitch on many frontal portraits.
 */
export interface HeadPose {
  readonly yaw: number;
  readonly pitch: number;
  readonly roll: number;
}

/**
 * Eye state: probability (0..1) that each eye is closed. `left` is the eye on the image's left
 * (iBUG points 36–41, the person's right eye on an unmirrored frame).
 */
export interface EyeState {
  readonly leftClosed: number;
  readonly rightClosed: number;
}

/** Passive anti-spoof result of one frame. */
export interface AntiSpoof {
  /** Probability of class 0, "live". */
  readonly pLive: number;
  /** Softmax over the model's classes (0 = live, 1 and 2 = spoof types). */
  readonly probabilities: readonly number[];
}

/** A quality measure code that guidance can act on. */
export type QualityCode =
  | 'face_too_small'
  | 'face_too_large'
  | 'face_off_centre'
  | 'face_cut_off'
  | 'yaw_out_of_range'
  | 'pitch_out_of_range'
  | 'roll_out_of_range'
  | 'face_blurry'
  | 'face_too_dark'
  | 'face_too_bright';

/** Quality measures of one face in one frame, and the codes of those outside their threshold. */
export interface FaceQuality {
  /** Face box width ÷ frame width. */
  readonly faceSize: number;
  /** Distance of the box centre from the frame centre, ÷ frame diagonal / 2 (0 = centred, 1 = corner). */
  readonly centreOffset: number;
  /** Fraction of the box area outside the frame. */
  readonly outsideFraction: number;
  /** Variance of the 4-neighbour Laplacian of the face, gray, resampled to 112 × 112. */
  readonly sharpness: number;
  /** Mean gray level (0–255) of the central face region. */
  readonly brightness: number;
  /** Codes of the measures (pose included, when known) that are outside their thresholds; empty = good. */
  readonly codes: readonly QualityCode[];
}

/** A detected face, enriched stage by stage (detector → landmarks → pose → eyes → anti-spoof → quality). */
export interface Face {
  readonly box: Box;
  /** Detector confidence, 0..1. */
  readonly score: number;
  /** 68 points in iBUG order, frame pixels. */
  readonly landmarks?: readonly Point[];
  readonly pose?: HeadPose;
  readonly eyes?: EyeState;
  readonly antiSpoof?: AntiSpoof;
  readonly quality?: FaceQuality;
}
