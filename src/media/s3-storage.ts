import { Readable } from 'node:stream';
import type {
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectCommandOutput,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  IMMUTABLE_CACHE_CONTROL,
  isMediaKey,
  type MediaStorage,
  type StoredObject,
} from './media-storage';

/** The AWS SDK, loaded with the first object stored or read: it is large, and most never do. */
export const loadS3Sdk = () => import('@aws-sdk/client-s3');

/** The one method of S3Client this storage calls; tests pass a fake. */
export interface S3Sender {
  send(command: PutObjectCommand | GetObjectCommand | DeleteObjectsCommand): Promise<unknown>;
}

export interface S3StorageSettings {
  bucket: string;
  /** Where the bucket's objects are public (S3_PUBLIC_URL, e.g. a CDN); null: through the API. */
  publicUrl: string | null;
  /** The API's own base URL, for GET /media/... when the bucket is not public. */
  apiUrl: string;
}

/**
 * Variants in an S3-compatible bucket (S3_BUCKET; AWS, MinIO, R2...). A PutObject is atomic:
 * an object is visible whole or not at all, so no temporary name is needed. Objects carry
 * their content type and the immutable Cache-Control, for a CDN in front of a public bucket.
 */
export class S3MediaStorage implements MediaStorage {
  constructor(
    private readonly client: S3Sender,
    private readonly settings: S3StorageSettings,
  ) {}

  async put(key: string, data: Buffer, contentType: string): Promise<void> {
    if (!isMediaKey(key)) throw new Error(`not a media key: ${key}`);
    const { PutObjectCommand } = await loadS3Sdk();
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.settings.bucket,
        Key: key,
        Body: data,
        ContentType: contentType,
        ContentLength: data.length,
        CacheControl: IMMUTABLE_CACHE_CONTROL,
      }),
    );
  }

  async open(key: string): Promise<StoredObject | null> {
    if (!isMediaKey(key)) return null;
    const { GetObjectCommand, NoSuchKey } = await loadS3Sdk();
    let output: GetObjectCommandOutput;
    try {
      output = (await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }),
      )) as GetObjectCommandOutput;
    } catch (error) {
      if (error instanceof NoSuchKey) return null;
      throw error;
    }
    if (!(output.Body instanceof Readable)) throw new Error('S3 answered no readable body');
    return {
      body: output.Body,
      size: output.ContentLength ?? 0,
      contentType: output.ContentType ?? 'image/webp',
      etag: output.ETag ?? `"${key}"`,
    };
  }

  async delete(keys: string[]): Promise<void> {
    const objects = keys.filter(isMediaKey).map((key) => ({ Key: key }));
    if (objects.length === 0) return;
    const { DeleteObjectsCommand } = await loadS3Sdk();
    await this.client.send(
      new DeleteObjectsCommand({
        Bucket: this.settings.bucket,
        Delete: { Objects: objects, Quiet: true },
      }),
    );
  }

  url(key: string): string {
    return this.settings.publicUrl
      ? `${this.settings.publicUrl.replace(/\/+$/, '')}/${key}`
      : `${this.settings.apiUrl}/media/${key}`;
  }
}
