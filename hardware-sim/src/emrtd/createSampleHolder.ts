import sharp from 'sharp';
import type { EmrtdHolder, EmrtdPhoto } from './EmrtdHolder.js';
import { createSamplePortrait } from './createSamplePortrait.js';
import { jpegPhoto } from './photo.js';

/** Options of {@link createSamplePhoto}. */
export interface SamplePhotoOptions {
  readonly width?: number;
  readonly height?: number;
  /** JPEG quality 1–100 (default 80). */
  readonly quality?: number;
  /** Varies skin, hair and features, so two variants are different photos (default 0). */
  readonly variant?: number;
}

function faceSvg(width: number, height: number, variant: number): string {
  const skins = ['#e0b899', '#c68e65', '#8d5a3b', '#f1d3bd'];
  const hairs = ['#2b1d14', '#6b4226', '#111111', '#b58a3c'];
  const skin = skins[variant % skins.length] ?? '#e0b899';
  const hair = hairs[Math.floor(variant / 2) % hairs.length] ?? '#2b1d14';
  const cx = width / 2;
  const cy = height * 0.48;
  const rx = width * (0.27 + 0.01 * (variant % 3));
  const ry = height * 0.3;
  const eyeY = cy - ry * 0.15;
  const eyeDx = rx * 0.42;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><radialGradient id="g" cx="50%" cy="40%" r="60%"><stop offset="0%" stop-color="${skin}"/><stop offset="100%" stop-color="#7a5238"/></radialGradient></defs>
  <rect width="100%" height="100%" fill="#dfe6ee"/>
  <rect x="${cx - rx * 1.6}" y="${height * 0.82}" width="${rx * 3.2}" height="${height * 0.3}" rx="${rx * 0.6}" fill="#34495e"/>
  <rect x="${cx - rx * 0.35}" y="${cy + ry * 0.75}" width="${rx * 0.7}" height="${height * 0.12}" fill="${skin}"/>
  <ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="url(#g)"/>
  <path d="M ${cx - rx * 1.02} ${cy - ry * 0.2} Q ${cx} ${cy - ry * 1.6} ${cx + rx * 1.02} ${cy - ry * 0.2} Q ${cx} ${cy - ry * 0.9} ${cx - rx * 1.02} ${cy - ry * 0.2} Z" fill="${hair}"/>
  <ellipse cx="${cx - eyeDx}" cy="${eyeY}" rx="${rx * 0.17}" ry="${ry * 0.07}" fill="#fff"/>
  <ellipse cx="${cx + eyeDx}" cy="${eyeY}" rx="${rx * 0.17}" ry="${ry * 0.07}" fill="#fff"/>
  <circle cx="${cx - eyeDx}" cy="${eyeY}" r="${ry * 0.05}" fill="#3b2a1a"/>
  <circle cx="${cx + eyeDx}" cy="${eyeY}" r="${ry * 0.05}" fill="#3b2a1a"/>
  <path d="M ${cx - eyeDx - rx * 0.2} ${eyeY - ry * 0.14} q ${rx * 0.2} ${-ry * 0.06} ${rx * 0.4} 0" stroke="${hair}" stroke-width="${ry * 0.03}" fill="none"/>
  <path d="M ${cx + eyeDx - rx * 0.2} ${eyeY - ry * 0.14} q ${rx * 0.2} ${-ry * 0.06} ${rx * 0.4} 0" stroke="${hair}" stroke-width="${ry * 0.03}" fill="none"/>
  <path d="M ${cx} ${eyeY + ry * 0.05} L ${cx - rx * 0.12} ${cy + ry * 0.3} L ${cx + rx * 0.08} ${cy + ry * 0.32}" stroke="#7a5238" stroke-width="${ry * 0.02}" fill="none"/>
  <path d="M ${cx - rx * 0.35} ${cy + ry * 0.52} Q ${cx} ${cy + ry * (0.62 + 0.04 * (variant % 2))} ${cx + rx * 0.35} ${cy + ry * 0.52}" stroke="#9b3b3b" stroke-width="${ry * 0.04}" fill="none"/>
</svg>`;
}

/**
 * Renders a small synthetic frontal face portrait (ICAO-like framing: plain background, head
 * centred) as a JPEG for DG2. Generated, so no real person's photo ships with the simulator.
 */
export async function createSamplePhoto(options: SamplePhotoOptions = {}): Promise<EmrtdPhoto> {
  const width = options.width ?? 240;
  const height = options.height ?? 320;
  const jpeg = await sharp(Buffer.from(faceSvg(width, height, options.variant ?? 0)))
    .jpeg({ quality: options.quality ?? 80 })
    .toBuffer();
  return jpegPhoto(new Uint8Array(jpeg));
}

/** Options of {@link createSampleHolder}: any holder field, plus which sample face to portray. */
export interface SampleHolderOptions extends Partial<EmrtdHolder> {
  /**
   * The simulated camera's sample face (a `SAMPLE_FACE_PHOTOS` id) whose
   * 360×480 passport portrait (≈ 22 KB JPEG) goes into DG2 when no `photo` is given. Without it,
   * DG2 holds the small generated face of {@link createSamplePhoto} (240×320, ≈ 6 KB).
   */
  readonly facePhotoId?: string;
  /** Give the holder the specimen DG11 (personal number, full birth date, place of birth, address) and DG12 (issuing authority, date of issue). */
  readonly additionalDetails?: boolean;
}

/** The specimen DG11 / DG12 contents {@link createSampleHolder} writes with `additionalDetails`. */
export const SAMPLE_ADDITIONAL_DETAILS = {
  additionalPersonalDetails: {
    personalNumber: 'ZE184226B',
    fullDateOfBirth: '19740812',
    placeOfBirth: 'ZENITH,UTOPIA',
    address: '123 MAPLE ROAD<ANYTOWN<UTOPIA',
  },
  additionalDocumentDetails: {
    issuingAuthority: 'UTOPIA PASSPORT OFFICE',
    dateOfIssue: '20240416',
  },
} as const satisfies Pick<EmrtdHolder, 'additionalPersonalDetails' | 'additionalDocumentDetails'>;

/**
 * A fictitious holder (Utopia, the ICAO specimen state) with a generated face photo, or the
 * portrait of one of the simulated camera's sample faces; any field can be overridden.
 *
 * @example
 * const holder = await createSampleHolder({ surname: 'ERIKSSON', facePhotoId: SAMPLE_FACE_PHOTOS[0].id });
 */
export async function createSampleHolder(options: SampleHolderOptions = {}): Promise<EmrtdHolder> {
  const { facePhotoId, additionalDetails, ...overrides } = options;
  return {
    documentCode: 'P',
    issuingState: 'UTO',
    surname: 'SPECIMEN',
    givenNames: 'ANNA MARIA',
    documentNumber: 'L898902C3',
    nationality: 'UTO',
    dateOfBirth: '740812',
    sex: 'F',
    dateOfExpiry: '340415',
    optionalData: 'ZE184226B',
    photo:
      overrides.photo ??
      (facePhotoId === undefined
        ? await createSamplePhoto()
        : await createSamplePortrait(facePhotoId)),
    ...(additionalDetails === true ? SAMPLE_ADDITIONAL_DETAILS : {}),
    ...overrides,
  };
}
