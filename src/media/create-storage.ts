import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config';
import { LocalMediaStorage } from './local-storage';
import type { MediaStorage } from './media-storage';
import { loadS3Sdk, S3MediaStorage, type S3Sender } from './s3-storage';

/**
 * The local folder (MEDIA_DIR), unless S3_BUCKET names a bucket. Credentials for S3 come from
 * the AWS SDK's default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, an
 * instance or task role); S3_ENDPOINT points at another S3-compatible service, addressed by
 * path (bucket in the path, as MinIO expects).
 */
export function createMediaStorage(config: Config, publicUrl: string): MediaStorage {
  if (!config.S3_BUCKET) return new LocalMediaStorage(config.MEDIA_DIR, publicUrl);
  let client: Promise<S3Client> | undefined;
  const sender: S3Sender = {
    async send(command) {
      client ??= loadS3Sdk().then(
        ({ S3Client }) =>
          new S3Client({
            region: config.S3_REGION,
            ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT, forcePathStyle: true } : {}),
          }),
      );
      const s3: S3Sender = await client;
      return s3.send(command);
    },
  };
  return new S3MediaStorage(sender, {
    bucket: config.S3_BUCKET,
    publicUrl: config.S3_PUBLIC_URL ?? null,
    apiUrl: publicUrl,
  });
}
