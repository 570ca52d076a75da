type Variant = 'thumb' | 'medium' | 'full';

/**
 * A listing image as the API gives it: a URL, or (from the media service) an object with
 * variants. Pages show a small variant first; the full one only on request.
 */
export function imageSource(image: unknown, variant: Variant): string | undefined {
  if (typeof image === 'string') return image;
  if (typeof image === 'object' && image !== null && 'variants' in image) {
    const variants = (image as { variants?: Partial<Record<Variant, string>> }).variants;
    return variants?.[variant] ?? variants?.medium ?? variants?.full;
  }
  return undefined;
}
