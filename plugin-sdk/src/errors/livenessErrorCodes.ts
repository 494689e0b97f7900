/**
 * Liveness failure codes. Stable: never rename one; add new ones at the end, each with a comment
 * that says when it happens. Carried by events and CLI output, see docs/errors.md.
 */
export const LIVENESS_ERROR_CODES = [
  'liveness_positioning_timeout', // the customer did not hold a frontal pose in time to start
  'liveness_challenge_timeout', // a challenge (turn, blink, nod) was not completed before its deadline
  'liveness_return_timeout', // the customer did not return to frontal between challenges in time
  'liveness_multiple_faces', // more than one face was in view during the challenge
  'liveness_face_lost', // the face left the view for longer than faceLostMs, more often than allowed
  'liveness_track_changed', // the tracked face changed (a different track id) during the challenge
  'liveness_identity_changed', // the face stopped resembling the one that started the challenge
  'liveness_planar_motion', // a head turn moved like a flat picture (homography residual too small)
  'liveness_spoof_suspected', // the passive anti-spoof score averaged below its threshold
  'liveness_insufficient_frames', // too few usable frames to judge passive anti-spoofing
  'liveness_cancelled', // the liveness check was cancelled
] as const;
