import { describe, expect, it } from 'vitest';
import { GUIDANCE_CODES, GUIDANCE_MESSAGES, guidanceFor } from './FaceGuidance.js';

describe('face guidance', () => {
  it('has a zh-CN and an en message for every code', () => {
    for (const code of GUIDANCE_CODES) {
      expect(GUIDANCE_MESSAGES[code]['zh-CN'].length).toBeGreaterThan(0);
      expect(GUIDANCE_MESSAGES[code].en.length).toBeGreaterThan(0);
    }
  });

  it.each([
    [{ faceCount: 0, qualityCodes: [], frameBrightness: 12 }, 'too_dark'],
    [{ faceCount: 0, qualityCodes: [], frameBrightness: 240 }, 'too_bright'],
    [{ faceCount: 0, qualityCodes: [], frameBrightness: 120 }, 'no_face'],
    [{ faceCount: 2, qualityCodes: [], frameBrightness: 120 }, 'multiple_faces'],
    [{ faceCount: 1, qualityCodes: ['face_too_small'], frameBrightness: 120 }, 'too_far'],
    [{ faceCount: 1, qualityCodes: ['face_too_large'], frameBrightness: 120 }, 'too_close'],
    [{ faceCount: 1, qualityCodes: ['face_off_centre'], frameBrightness: 120 }, 'off_centre'],
    [
      { faceCount: 1, qualityCodes: ['face_blurry', 'face_too_dark'], frameBrightness: 120 },
      'too_dark',
    ],
    [{ faceCount: 1, qualityCodes: ['face_blurry'], frameBrightness: 120 }, 'blurred'],
    [{ faceCount: 1, qualityCodes: ['yaw_out_of_range'], frameBrightness: 120 }, 'look_straight'],
    [{ faceCount: 1, qualityCodes: [], frameBrightness: 120 }, 'face_ok'],
  ] as const)('%j → %s', (input, code) => {
    expect(guidanceFor(input)).toBe(code);
  });
});
