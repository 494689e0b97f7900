import type { EmrtdPhoto } from './EmrtdHolder.js';

/**
 * Wraps JPEG bytes as a DG2 photo, reading width and height from the first SOFn segment.
 * Throws RangeError when the bytes are not a baseline/progressive JPEG.
 */
export function jpegPhoto(data: Uint8Array): EmrtdPhoto {
  if (data[0] !== 0xff || data[1] !== 0xd8) throw new RangeError('not a JPEG (no SOI marker)');
  let i = 2;
  while (i + 4 <= data.length) {
    if (data[i] !== 0xff) throw new RangeError(`JPEG marker expected at ${i}`);
    const marker = data[i + 1] ?? 0;
    const length = ((data[i + 2] ?? 0) << 8) | (data[i + 3] ?? 0);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > data.length) break;
      const height = ((data[i + 5] ?? 0) << 8) | (data[i + 6] ?? 0);
      const width = ((data[i + 7] ?? 0) << 8) | (data[i + 8] ?? 0);
      return { format: 'jpeg', data, width, height };
    }
    i += 2 + length;
  }
  throw new RangeError('JPEG has no SOF segment');
}

/**
 * Wraps JPEG 2000 bytes (JP2 file format or a raw codestream) as a DG2 photo, reading the size
 * from the `ihdr` box or the SIZ marker segment.
 */
export function jpeg2000Photo(data: Uint8Array): EmrtdPhoto {
  const u32 = (at: number): number =>
    (((data[at] ?? 0) << 24) >>> 0) +
    ((data[at + 1] ?? 0) << 16) +
    ((data[at + 2] ?? 0) << 8) +
    (data[at + 3] ?? 0);
  if (data[0] === 0xff && data[1] === 0x4f && data[2] === 0xff && data[3] === 0x51) {
    // SIZ: Lsiz(2) Rsiz(2) Xsiz(4) Ysiz(4) XOsiz(4) YOsiz(4)
    const width = u32(8) - u32(16);
    const height = u32(12) - u32(20);
    return { format: 'jpeg2000', data, width, height };
  }
  for (let i = 0; i + 8 <= data.length; i++) {
    if (data[i] === 0x69 && data[i + 1] === 0x68 && data[i + 2] === 0x64 && data[i + 3] === 0x72) {
      return { format: 'jpeg2000', data, height: u32(i + 4), width: u32(i + 8) };
    }
  }
  throw new RangeError('not a JPEG 2000 image (no ihdr box, no SIZ segment)');
}

/**
 * Wraps a JPEG 2000 codestream in the JP2 file format (ISO/IEC 15444-1 Annex I), as passports
 * store DG2 portraits: signature box, `ftyp` (brand `jp2 `), `jp2h` with `ihdr` and an sRGB (or
 * greyscale) `colr` box, then the codestream in `jp2c`.
 */
export function jp2Container(
  codestream: Uint8Array,
  image: { readonly width: number; readonly height: number; readonly components?: 1 | 3 },
): Uint8Array {
  const components = image.components ?? 3;
  const u32 = (v: number): number[] => [
    (v >>> 24) & 0xff,
    (v >>> 16) & 0xff,
    (v >>> 8) & 0xff,
    v & 0xff,
  ];
  const box = (type: string, ...payload: Uint8Array[]): Uint8Array => {
    const length = 8 + payload.reduce((n, p) => n + p.length, 0);
    return Uint8Array.from([
      ...u32(length),
      ...Buffer.from(type, 'latin1'),
      ...payload.flatMap((p) => [...p]),
    ]);
  };
  const ihdr = box(
    'ihdr',
    Uint8Array.from([
      ...u32(image.height),
      ...u32(image.width),
      0,
      components,
      7 /* 8-bit unsigned */,
      7 /* JPEG 2000 */,
      0,
      0,
    ]),
  );
  const colr = box(
    'colr',
    Uint8Array.from([
      1 /* enumerated */,
      0,
      0,
      ...u32(components === 3 ? 16 /* sRGB */ : 17 /* greyscale */),
    ]),
  );
  return Uint8Array.from([
    ...box('jP  ', Uint8Array.of(0x0d, 0x0a, 0x87, 0x0a)),
    ...box(
      'ftyp',
      Buffer.from('jp2 ', 'latin1'),
      Uint8Array.of(0, 0, 0, 0),
      Buffer.from('jp2 ', 'latin1'),
    ),
    ...box('jp2h', ihdr, colr),
    ...box('jp2c', codestream),
  ]);
}
