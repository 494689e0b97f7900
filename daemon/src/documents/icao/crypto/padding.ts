import { EmrtdError } from '../EmrtdError.js';

/** ISO/IEC 9797-1 padding method 2: append 0x80 then zeros to a multiple of `blockSize`. */
export function padIso9797(data: Uint8Array, blockSize: number): Uint8Array {
  const length = (Math.floor(data.length / blockSize) + 1) * blockSize;
  const out = new Uint8Array(length);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/** Remove ISO/IEC 9797-1 method 2 padding; malformed padding is `document_response_malformed`. */
export function unpadIso9797(data: Uint8Array): Uint8Array {
  let i = data.length - 1;
  while (i >= 0 && data[i] === 0x00) i--;
  if (i < 0 || data[i] !== 0x80)
    throw new EmrtdError(
      'document_response_malformed',
      'secure messaging: bad ISO 9797-1 padding in decrypted data',
    );
  return data.slice(0, i);
}
