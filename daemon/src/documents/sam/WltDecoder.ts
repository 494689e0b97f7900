/**
 * The resident ID's photo is a 1024-byte WLT blob, a proprietary wavelet format (102×126) that only
 * the reader vendor's licensed decoder can turn into pixels (`WltRS.dll`, `libwlt2bmp`,
 * `CV_Decode`, or a vendor service). kycd does not and will not decode WLT itself; a site plugs
 * its vendor's decoder in through this interface.
 */
export interface WltDecoder {
  /** Names the decoder in results and logs, e.g. `http:127.0.0.1:19196` or `simulator`. */
  readonly name: string;
  /**
   * Decodes one WLT blob to an image file. Rejects (with a `document_photo_decoder_failed`
   * `KycdError`, ideally) when the decoder refuses it, e.g. because it is not licensed for this SAM.
   */
  decode(wlt: Uint8Array, context: WltDecodeContext): Promise<WltDecodedImage>;
}

/** What a {@link WltDecoder} gets besides the blob. */
export interface WltDecodeContext {
  readonly signal?: AbortSignal;
  /** The SAM's id (管理信息, printed form when known), which vendor licences are bound to. */
  readonly samId?: string;
}

/** An image file a {@link WltDecoder} produced. */
export interface WltDecodedImage {
  readonly format: 'jpeg' | 'bmp';
  readonly bytes: Uint8Array;
}

/**
 * What a decoder's image is, from its first bytes (never from the decoder's word): JPEG (FF D8
 * FF) or BMP ("BM"); undefined for anything else.
 */
export function wltImageFormat(bytes: Uint8Array): WltDecodedImage['format'] | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'jpeg';
  if (bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d) return 'bmp';
  return undefined;
}

/** Size of the WLT photo on the card. */
export const WLT_PHOTO_BYTES = 1024;
/** Pixel size of the decoded WLT photo. */
export const WLT_PHOTO_WIDTH = 102;
/** Pixel size of the decoded WLT photo. */
export const WLT_PHOTO_HEIGHT = 126;
