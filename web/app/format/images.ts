export interface Photo {
  thumb: string;
  medium: string;
  full: string;
}

interface WithImages {
  images: string[];
  media?: { variants: Photo }[];
}

/**
 * A listing's photos in order: an uploaded one (its URL in `images` is its medium variant)
 * with all its variants, an outside https URL as itself. Pages show small variants first,
 * the full one only on request.
 */
export function listingPhotos(listing: WithImages): Photo[] {
  return listing.images.map((url) => {
    const uploaded = listing.media?.find((media) => Object.values(media.variants).includes(url));
    return uploaded ? uploaded.variants : { thumb: url, medium: url, full: url };
  });
}

type Variant = keyof Photo;

/**
 * One image as the API gives it, a URL or an uploaded photo with variants, as the URL of the
 * variant asked for (falling back to medium, then full).
 */
export function imageSource(image: unknown, variant: Variant): string | undefined {
  if (typeof image === 'string') return image;
  if (typeof image === 'object' && image !== null && 'variants' in image) {
    const variants = (image as { variants?: Partial<Photo> }).variants;
    return variants?.[variant] ?? variants?.medium ?? variants?.full;
  }
  return undefined;
}
