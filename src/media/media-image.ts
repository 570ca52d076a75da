import type { Metadata, Sharp, SharpConstructor } from 'sharp';
import { AppError } from '../http/app-error';
import { heicDecoder } from './heic-decoder';
import { canDecodeHeic, sniffFormat, type SourceFormat } from './media-format';

/** Longest side of each variant, in pixels; a smaller photo is never enlarged. */
export const VARIANT_SIZES = { thumb: 320, medium: 960, full: 2048 } as const;
export type VariantName = keyof typeof VARIANT_SIZES;
export const VARIANT_NAMES = Object.keys(VARIANT_SIZES) as VariantName[];

export const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;
export const MAX_PIXELS = 40_000_000;

/** What the header says, read before anything is decoded. */
export interface ImageProbe {
  format: SourceFormat;
  /** Upright size: EXIF orientations 5 to 8 swap width and height. */
  width: number;
  height: number;
  /**
   * HEVC-coded HEIF this libvips cannot decode (sharp's prebuilt binaries carry the AV1 codec
   * only): its header is still read by sharp, its pixels are decoded by libheif in WebAssembly.
   */
  needsHeicDecoder: boolean;
}

export interface RenderedVariant {
  name: VariantName;
  data: Buffer;
  width: number;
  height: number;
}

/** sharp (libvips), loaded with the first photo: most processes and test files never see one. */
let sharpModule: Promise<typeof import('sharp')> | undefined;
const loadSharp = async () => (await (sharpModule ??= import('sharp'))).default;

/** sharp's `format` for each source format: HEIC and AVIF are both HEIF containers. */
const SHARP_FORMAT: Record<SourceFormat, string> = {
  jpeg: 'jpeg',
  png: 'png',
  webp: 'webp',
  avif: 'heif',
  heic: 'heif',
};

function unsupported(message: string): AppError {
  return new AppError(415, 'invalid_request', 'unsupported_media_type', message, 'file');
}

function corrupt(): AppError {
  return AppError.invalid(
    'image_corrupt',
    'The file could not be read as an image: it is truncated or damaged.',
    'file',
  );
}

/**
 * Decides from the bytes and the header only (sharp's `metadata()` decodes no pixels) whether
 * the file is a photo we take: its type, and at most MAX_PIXELS, so a decompression bomb (a
 * small file declaring 20,000 x 20,000 pixels) is refused before it costs any memory.
 */
export async function probeImage(bytes: Buffer): Promise<ImageProbe> {
  const format = sniffFormat(bytes);
  if (!format) throw unsupported('Send a JPEG, PNG, WebP, HEIC or AVIF photo.');
  const sharp = await loadSharp();
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw corrupt();
  }
  if (metadata.format !== SHARP_FORMAT[format] || !metadata.width || !metadata.height)
    throw corrupt();
  // libvips reads an HEIF header (size, codec) without a decoder for its codec.
  const needsHeicDecoder =
    format === 'heic' && metadata.compression === 'hevc' && !canDecodeHeic(sharp);
  // An AVIF-branded file may still carry HEVC images; the HEIC decoder expects HEIC brands.
  if (format === 'avif' && metadata.compression === 'hevc' && !canDecodeHeic(sharp))
    throw unsupported('This AVIF file holds HEVC images, which cannot be read; send a JPEG.');
  // Only the first frame of an animated image is kept, so only its pixels count.
  const frameHeight = metadata.pageHeight ?? metadata.height;
  if (metadata.width * frameHeight > MAX_PIXELS)
    throw new AppError(
      413,
      'invalid_request',
      'image_too_large',
      `The image is ${metadata.width} x ${frameHeight} pixels; at most ${MAX_PIXELS / 1e6} megapixels are accepted.`,
      'file',
    );
  // HEIF turns by its `irot`/`imir` boxes, which libheif applies to the size it reports and to
  // the pixels it decodes: an EXIF orientation copied beside them must not turn them again.
  const isTurned = !needsHeicDecoder && (metadata.orientation ?? 1) >= 5;
  return {
    format,
    width: isTurned ? frameHeight : metadata.width,
    height: isTurned ? metadata.width : frameHeight,
    needsHeicDecoder,
  };
}

/**
 * The WebP variants, each fitted inside a square of its size (the longest side), never
 * enlarged, turned upright by the EXIF orientation, in sRGB (an embedded ICC profile is
 * converted) and with every piece of metadata left out: sharp writes none unless asked
 * (`withMetadata`), so EXIF, GPS, XMP and IPTC do not survive. An animated image gives its
 * first frame (sharp reads one page unless told otherwise). sharp runs on libuv's thread
 * pool: the event loop only waits for the promises. An HEIC that libvips cannot decode is
 * decoded to upright RGBA in a worker thread first (see HeicDecoder), then follows the same
 * pipeline from raw pixels, which carry no metadata at all.
 */
export async function renderVariants(
  bytes: Buffer,
  probe: Pick<ImageProbe, 'needsHeicDecoder' | 'width' | 'height'>,
): Promise<RenderedVariant[]> {
  const sharp = await loadSharp();
  const source = probe.needsHeicDecoder
    ? await decodedHeic(sharp, bytes, probe)
    : sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate();
  // One after another: each holds one libuv thread, so an upload never takes over the pool.
  // The smaller ones decode cheaply (JPEG and WebP shrink on load).
  const variants: RenderedVariant[] = [];
  try {
    for (const name of VARIANT_NAMES) {
      const size = VARIANT_SIZES[name];
      const { data, info } = await source
        .clone()
        .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: name === 'thumb' ? 75 : 82, effort: 2 })
        .toBuffer({ resolveWithObject: true });
      variants.push({ name, data, width: info.width, height: info.height });
    }
    return variants;
  } catch {
    throw corrupt();
  }
}

/**
 * heic-decode gives the first top-level image, which is the primary one in what phones write;
 * a file where it is not (say a visible thumbnail first) would come out as the wrong picture,
 * so its size must be the one the header gave for the primary image.
 */
async function decodedHeic(
  sharp: SharpConstructor,
  bytes: Buffer,
  probe: Pick<ImageProbe, 'width' | 'height'>,
): Promise<Sharp> {
  let pixels;
  try {
    pixels = await heicDecoder.decode(bytes);
  } catch {
    throw corrupt();
  }
  const { width, height, data } = pixels;
  if (width !== probe.width || height !== probe.height)
    throw unsupported(
      'The main image of this HEIC file could not be read on its own; send it as a JPEG.',
    );
  return sharp(data, { raw: { width, height, channels: 4 }, limitInputPixels: MAX_PIXELS });
}
