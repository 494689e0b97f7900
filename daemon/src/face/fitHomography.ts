/** A 3×3 homography, row-major, normalised so that h[8] = 1. */
export type Homography = readonly number[];

/** A 2-D point `[x, y]`. */
export type Point2 = readonly [number, number];

/**
 * Least-squares homography mapping `from[i]` onto `to[i]` (direct linear transform with Hartley
 * normalisation, h33 = 1). Needs at least 4 point pairs; returns `undefined` when they are
 * degenerate (collinear, coincident).
 */
export function fitHomography(
  from: readonly Point2[],
  to: readonly Point2[],
): Homography | undefined {
  if (from.length !== to.length)
    throw new RangeError(`fitHomography: ${from.length} vs ${to.length} points`);
  if (from.length < 4) return undefined;
  const nf = normaliser(from);
  const nt = normaliser(to);
  if (nf === undefined || nt === undefined) return undefined;
  // Normal equations AᵀA h = Aᵀb for the 8 unknowns.
  const ata = Array.from({ length: 8 }, () => new Array<number>(8).fill(0));
  const atb = new Array<number>(8).fill(0);
  const addRow = (row: readonly number[], rhs: number): void => {
    for (let i = 0; i < 8; i++) {
      atb[i]! += row[i]! * rhs;
      for (let j = 0; j < 8; j++) ata[i]![j]! += row[i]! * row[j]!;
    }
  };
  for (let k = 0; k < from.length; k++) {
    const [x, y] = apply(nf, from[k]!);
    const [u, v] = apply(nt, to[k]!);
    addRow([x, y, 1, 0, 0, 0, -u * x, -u * y], u);
    addRow([0, 0, 0, x, y, 1, -v * x, -v * y], v);
  }
  const h = solve(ata, atb);
  if (h === undefined) return undefined;
  const hn = [...h, 1];
  // Denormalise: H = Tt⁻¹ · Hn · Tf
  const H = mul3(inverseSimilarity(nt), mul3(hn, nf));
  const s = H[8]!;
  if (Math.abs(s) < 1e-12) return undefined;
  return H.map((v) => v / s);
}

/** Map a point through a homography. */
export function applyHomography(h: Homography, p: Point2): Point2 {
  const w = h[6]! * p[0] + h[7]! * p[1] + h[8]!;
  return [(h[0]! * p[0] + h[1]! * p[1] + h[2]!) / w, (h[3]! * p[0] + h[4]! * p[1] + h[5]!) / w];
}

/** RMS distance between `to[i]` and `from[i]` mapped through `h`. */
export function homographyRms(
  h: Homography,
  from: readonly Point2[],
  to: readonly Point2[],
): number {
  let sum = 0;
  for (let i = 0; i < from.length; i++) {
    const [x, y] = applyHomography(h, from[i]!);
    sum += (x - to[i]![0]) ** 2 + (y - to[i]![1]) ** 2;
  }
  return Math.sqrt(sum / from.length);
}

function normaliser(points: readonly Point2[]): number[] | undefined {
  let mx = 0;
  let my = 0;
  for (const p of points) {
    mx += p[0];
    my += p[1];
  }
  mx /= points.length;
  my /= points.length;
  let d = 0;
  for (const p of points) d += Math.hypot(p[0] - mx, p[1] - my);
  d /= points.length;
  if (!(d > 1e-9)) return undefined;
  const s = Math.SQRT2 / d;
  return [s, 0, -s * mx, 0, s, -s * my, 0, 0, 1];
}

function inverseSimilarity(t: readonly number[]): number[] {
  const s = t[0]!;
  return [1 / s, 0, -t[2]! / s, 0, 1 / s, -t[5]! / s, 0, 0, 1];
}

function apply(t: readonly number[], p: Point2): Point2 {
  return [t[0]! * p[0] + t[2]!, t[4]! * p[1] + t[5]!];
}

function mul3(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      for (let k = 0; k < 3; k++) out[i * 3 + j]! += a[i * 3 + k]! * b[k * 3 + j]!;
  return out;
}

/** Gaussian elimination with partial pivoting; `undefined` when singular. */
function solve(a: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) < 1e-12) return undefined;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}
