import type { QualityCode } from '@kycd/models';

/**
 * Guidance codes sent to the POS (`face.guidance`) while the customer is positioned and during
 * the challenges. Stable strings; the POS may show {@link GUIDANCE_MESSAGES} or its own text.
 */
export const GUIDANCE_CODES = [
  'no_face',
  'multiple_faces',
  'too_far',
  'too_close',
  'off_centre',
  'too_dark',
  'too_bright',
  'blurred',
  'look_straight',
  'hold_still',
  'turn_left',
  'turn_right',
  'blink',
  'face_ok',
] as const;

/** One of {@link GUIDANCE_CODES}. */
export type GuidanceCode = (typeof GUIDANCE_CODES)[number];

/** A guidance event: the code and its messages in both shipped languages. */
export interface FaceGuidance {
  readonly code: GuidanceCode;
  readonly message: { readonly 'zh-CN': string; readonly en: string };
}

/** Customer-facing texts of every guidance code, zh-CN and en. Directions are the customer's own. */
export const GUIDANCE_MESSAGES: Readonly<
  Record<GuidanceCode, { readonly 'zh-CN': string; readonly en: string }>
> = {
  no_face: { 'zh-CN': '请将面部对准摄像头', en: 'Please face the camera' },
  multiple_faces: { 'zh-CN': '请确保画面中只有您一人', en: 'Only one person should be in view' },
  too_far: { 'zh-CN': '请靠近一点', en: 'Please move closer' },
  too_close: { 'zh-CN': '请离远一点', en: 'Please move back a little' },
  off_centre: { 'zh-CN': '请将面部移到画面中央', en: 'Please centre your face in the frame' },
  too_dark: { 'zh-CN': '光线太暗，请到明亮处', en: 'It is too dark, please find more light' },
  too_bright: {
    'zh-CN': '光线太强，请避开强光',
    en: 'It is too bright, please avoid strong light',
  },
  blurred: { 'zh-CN': '画面模糊，请保持不动', en: 'The image is blurred, please hold still' },
  look_straight: { 'zh-CN': '请正视摄像头', en: 'Please look straight at the camera' },
  hold_still: { 'zh-CN': '请保持不动', en: 'Please hold still' },
  turn_left: { 'zh-CN': '请缓慢向左转头', en: 'Slowly turn your head to your left' },
  turn_right: { 'zh-CN': '请缓慢向右转头', en: 'Slowly turn your head to your right' },
  blink: { 'zh-CN': '请眨眨眼', en: 'Please blink' },
  face_ok: { 'zh-CN': '很好，请保持', en: 'Good, stay like that' },
};

/** Build the {@link FaceGuidance} of a code. */
export function faceGuidance(code: GuidanceCode): FaceGuidance {
  return { code, message: GUIDANCE_MESSAGES[code] };
}

const QUALITY_TO_GUIDANCE: Readonly<Record<QualityCode, GuidanceCode>> = {
  face_too_small: 'too_far',
  face_too_large: 'too_close',
  face_off_centre: 'off_centre',
  face_cut_off: 'off_centre',
  yaw_out_of_range: 'look_straight',
  pitch_out_of_range: 'look_straight',
  roll_out_of_range: 'look_straight',
  face_blurry: 'blurred',
  face_too_dark: 'too_dark',
  face_too_bright: 'too_bright',
};

/** Order in which quality problems are reported (the first present wins). */
const PRIORITY: readonly QualityCode[] = [
  'face_too_dark',
  'face_too_bright',
  'face_too_small',
  'face_too_large',
  'face_cut_off',
  'face_off_centre',
  'face_blurry',
  'yaw_out_of_range',
  'pitch_out_of_range',
  'roll_out_of_range',
];

/**
 * The guidance for one analysed frame: several faces, no face (too dark / too bright when the
 * whole frame is), else the most important quality problem, else `face_ok`.
 */
export function guidanceFor(input: {
  readonly faceCount: number;
  readonly qualityCodes: readonly QualityCode[];
  /** Mean gray level of the whole frame (0–255), used when no face is found. */
  readonly frameBrightness: number;
}): GuidanceCode {
  if (input.faceCount > 1) return 'multiple_faces';
  if (input.faceCount === 0) {
    if (input.frameBrightness < 40) return 'too_dark';
    if (input.frameBrightness > 225) return 'too_bright';
    return 'no_face';
  }
  const first = PRIORITY.find((c) => input.qualityCodes.includes(c));
  return first === undefined ? 'face_ok' : QUALITY_TO_GUIDANCE[first];
}
