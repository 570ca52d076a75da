import type { Config } from '../config';
import { LocalMediaStorage } from './local-storage';
import type { MediaStorage } from './media-storage';

/** The local folder, unless S3_BUCKET names a bucket. */
export function createMediaStorage(config: Config, publicUrl: string): MediaStorage {
  return new LocalMediaStorage(config.MEDIA_DIR, publicUrl);
}
