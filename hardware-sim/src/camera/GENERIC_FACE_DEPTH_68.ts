/**
 * Generic depth of the 68 iBUG landmarks, in millimetres behind the nose tip (landmark 30 = 0,
 * more negative = further from the camera), for an average adult face whose eye centres are
 * {@link GENERIC_INTEROCULAR_MM} apart. Hand-built from standard facial anthropometry (ear/jaw
 * angle ≈ 95 mm behind the nose tip, eye corners 30–42 mm, lips 16–32 mm), symmetric left/right.
 * The simulated camera scales it to a photo's inter-ocular distance to turn a frontal photo
 * into a head that rotates.
 */
export const GENERIC_FACE_DEPTH_68: readonly number[] = [
  // 0–16 jaw line, from the right ear (image left) over the chin to the left ear
  -95, -90, -82, -72, -60, -48, -38, -30, -27, -30, -38, -48, -60, -72, -82, -90, -95,
  // 17–21 right brow (outer → inner), 22–26 left brow (inner → outer)
  -45, -35, -27, -22, -20, -20, -22, -27, -35, -45,
  // 27–30 nose bridge to tip
  -22, -16, -9, 0,
  // 31–35 nostrils
  -20, -15, -12, -15, -20,
  // 36–41 right eye (outer corner, upper lid ×2, inner corner, lower lid ×2)
  -42, -33, -31, -30, -32, -34,
  // 42–47 left eye (inner corner, upper lid ×2, outer corner, lower lid ×2)
  -30, -31, -33, -42, -34, -32,
  // 48–59 outer lip contour
  -32, -24, -18, -16, -18, -24, -32, -26, -21, -20, -21, -26,
  // 60–67 inner lip contour
  -30, -20, -18, -20, -30, -22, -20, -22,
];

/** Eye-centre distance of the face {@link GENERIC_FACE_DEPTH_68} describes, in millimetres. */
export const GENERIC_INTEROCULAR_MM = 63;

/** Depth of the ear/jaw-angle plane, where the head's silhouette sits, in the same units. */
export const GENERIC_SILHOUETTE_DEPTH_MM = -95;
