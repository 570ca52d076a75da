export type { MediaLinks, WithMedia } from './media-links';
export { imageRef, isMediaId, mediaSchema, type MediaView } from './media.schema';
