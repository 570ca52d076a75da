import { z } from 'zod';
import { imageUrl } from '../http/common-schemas';
import { isId } from '../ids';

export function isMediaId(value: string): boolean {
  return isId('med', value);
}

/** An entry of a listing's or note's `images`: a photo uploaded with POST /v1/media, or a URL. */
export const imageRef = z
  .string()
  .max(2000)
  .refine((value) => isMediaId(value) || imageUrl.safeParse(value).success, {
    message: 'must be a photo id from POST /v1/media (med_…) or an http(s) URL',
  })
  .openapi({ type: 'string', example: 'med_01jf3m5x2c8q4w6e9r7t1y3v5k' });

export const mediaSchema = z
  .object({
    id: z.string(),
    width: z.number().int().openapi({ description: 'The photo as uploaded, turned upright' }),
    height: z.number().int(),
    variants: z
      .object({
        thumb: z.string().openapi({ description: 'WebP, longest side at most 320 px' }),
        medium: z.string().openapi({ description: 'WebP, longest side at most 960 px' }),
        full: z.string().openapi({ description: 'WebP, longest side at most 2048 px' }),
      })
      .openapi({ description: 'URLs; never larger than the photo itself' }),
  })
  .openapi('Media');
export type MediaView = z.output<typeof mediaSchema>;
