/**
 * What the simulated camera shows, on cue. `live` is a cooperative person; every other value is
 * a presentation attack or a failure the liveness engine must reject:
 * - `print`: a printed photo held before the camera and tilted when asked to turn;
 * - `screen`: the photo replayed on a phone screen (bezel, moiré, glare), tilted likewise;
 * - `neverBlinks`: a person who follows the turns but never blinks;
 * - `wrongWay`: a person who turns the other way;
 * - `secondFace`: a second person enters the frame mid-session;
 * - `swap`: a different (cooperative) person takes over mid-session;
 * - `noFace`: nobody there;
 * - `dark`: a cooperative person in near darkness.
 */
export type FaceBehavior =
  | 'live'
  | 'print'
  | 'screen'
  | 'neverBlinks'
  | 'wrongWay'
  | 'secondFace'
  | 'swap'
  | 'noFace'
  | 'dark';

/** Every {@link FaceBehavior}, live first. */
export const FACE_BEHAVIORS: readonly FaceBehavior[] = [
  'live',
  'print',
  'screen',
  'neverBlinks',
  'wrongWay',
  'secondFace',
  'swap',
  'noFace',
  'dark',
];

/**
 * A prompt shown to the customer. Directions are the customer's own: `turnLeft` means the
 * customer turns to their left, which on the raw (unmirrored) frame moves the nose to image
 * right and reads as negative fr_pose yaw.
 */
export type FaceCue = 'turnLeft' | 'turnRight' | 'blink' | 'nod' | 'frontal';
