interface MediaLike {
  id: string;
  variants: { thumb: string; medium: string; full: string };
}

/** A photo of a listing as the editor holds it: what to send back, and what to show. */
export interface PhotoRef {
  /** A media id (med_…) for an uploaded photo, else the image's own URL. */
  ref: string;
  preview: string;
}

/**
 * A listing's `images` back to what PATCH takes: an uploaded photo's URL is its medium
 * variant, so it is matched to its media id (URLs of uploads are not accepted as images).
 */
export function photoRefs(images: readonly string[], media: readonly MediaLike[]): PhotoRef[] {
  return images.map((url) => {
    const uploaded = media.find((photo) => photo.variants.medium === url || photo.id === url);
    return uploaded
      ? { ref: uploaded.id, preview: uploaded.variants.thumb }
      : { ref: url, preview: url };
  });
}

/** The small picture for lists: an upload's thumb variant, or the first image's URL. */
export function firstThumb(images: readonly string[], media: readonly MediaLike[]): string | null {
  const [first] = photoRefs(images.slice(0, 1), media);
  return first?.preview ?? null;
}

export const MAX_PHOTOS = 10;
