/** One regular file of a tar archive. */
export interface TarEntry {
  /** Path inside the archive (ustar prefix + name, or the pax `path`). */
  readonly path: string;
  /** The file's bytes (a view into the archive). */
  readonly data: Uint8Array;
}

const BLOCK = 512;

function cString(block: Uint8Array, start: number, length: number): string {
  const slice = block.subarray(start, start + length);
  const nul = slice.indexOf(0);
  return new TextDecoder().decode(nul === -1 ? slice : slice.subarray(0, nul));
}

function octal(block: Uint8Array, start: number, length: number, offset: number): number {
  const text = cString(block, start, length).trim();
  if (!/^[0-7]*$/.test(text))
    throw new RangeError(`tar: header at byte ${offset} has a non-octal size field "${text}"`);
  return text === '' ? 0 : parseInt(text, 8);
}

/**
 * Read the regular files of an uncompressed (ustar/pax) tar archive, bounds-checked: a header
 * whose size runs past the archive or whose checksum is wrong throws a `RangeError` naming the
 * byte offset. Directory, link and other non-file entries are skipped.
 */
export function* readTarEntries(archive: Uint8Array): Generator<TarEntry> {
  let offset = 0;
  let paxPath: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] as number);
    const recorded = octal(header, 148, 8, offset);
    if (recorded !== sum) throw new RangeError(`tar: header checksum mismatch at byte ${offset}`);
    const size = octal(header, 124, 12, offset);
    const type = String.fromCharCode(header[156] as number);
    const dataStart = offset + BLOCK;
    if (dataStart + size > archive.length)
      throw new RangeError(
        `tar: entry at byte ${offset} (${size} bytes) runs past the archive end`,
      );
    const data = archive.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(new TextDecoder().decode(data));
      paxPath = match?.[1];
      continue;
    }
    if (type !== '0' && type !== '\0') {
      paxPath = undefined;
      continue;
    }
    const prefix = cString(header, 345, 155);
    const name = cString(header, 0, 100);
    const path = paxPath ?? (prefix === '' ? name : `${prefix}/${name}`);
    paxPath = undefined;
    yield { path, data };
  }
}
