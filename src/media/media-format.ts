import type sharp from 'sharp';

/** The photo formats an upload may be, as its first bytes say. */
export type SourceFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'heic';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const AVIF_BRANDS = new Set(['avif', 'avis']);
/** HEIF brands whose images are HEVC-coded: what phones write as `.heic`. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);

/**
 * The brands of an ISO-BMFF `ftyp` box (the major one first), or null when the bytes do not
 * start with one. https://www.iso.org/standard/83102.html §4.3
 */
function ftypBrands(bytes: Buffer): string[] | null {
  if (bytes.length < 16 || bytes.toString('latin1', 4, 8) !== 'ftyp') return null;
  const boxSize = Math.min(bytes.readUInt32BE(0), bytes.length);
  if (boxSize < 16) return null;
  const brands = [bytes.toString('latin1', 8, 12)];
  for (let offset = 16; offset + 4 <= boxSize; offset += 4)
    brands.push(bytes.toString('latin1', offset, offset + 4));
  return brands;
}

/**
 * What the file is, from its magic numbers alone: the name and the declared content type are
 * the client's word and are not asked. Null: none of the accepted formats (SVG, GIF, a zip,
 * text...), which is refused before any decoder sees the bytes.
 */
export function sniffFormat(bytes: Buffer): SourceFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (
    bytes.length >= 12 &&
    bytes.toString('latin1', 0, 4) === 'RIFF' &&
    bytes.toString('latin1', 8, 12) === 'WEBP'
  )
    return 'webp';
  const brands = ftypBrands(bytes);
  if (!brands) return null;
  // The major brand decides; a generic one (mif1, msf1) defers to the compatible brands.
  const major = brands[0]!;
  if (AVIF_BRANDS.has(major)) return 'avif';
  if (HEIC_BRANDS.has(major)) return 'heic';
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return 'avif';
  if (brands.some((brand) => HEIC_BRANDS.has(brand))) return 'heic';
  return null;
}

/**
 * Whether this build of libvips can decode HEVC-coded HEIF. sharp's prebuilt binaries carry
 * libheif with the AV1 codec only (HEVC is patent-encumbered), so they read AVIF and not HEIC;
 * a libvips built with libde265 lists `.heic` among its HEIF suffixes.
 */
export const canDecodeHeic = (sdk: typeof sharp): boolean =>
  sdk.format.heif.input.fileSuffix?.includes('.heic') ?? false;
