import { Readable } from 'node:stream';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { loadConfig } from '../../src/config';
import { createMediaStorage } from '../../src/media/create-storage';
import { LocalMediaStorage } from '../../src/media/local-storage';
import { S3MediaStorage, type S3Sender } from '../../src/media/s3-storage';

const KEY = 'med_01jf3m5x2c8q4w6e9r7t1y3v5k/medium.webp';

/** Records every command and answers from `answer`. */
function fakeS3(answer: (command: unknown) => unknown = () => ({})) {
  const sent: unknown[] = [];
  const client: S3Sender = {
    send: (command) => {
      sent.push(command);
      try {
        return Promise.resolve(answer(command));
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },
  };
  return { client, sent };
}

const settings = { bucket: 'photos', publicUrl: null, apiUrl: 'https://api.example' };

describe('S3 media storage', () => {
  test('put writes the object whole, with its type and immutable caching', async () => {
    const { client, sent } = fakeS3();
    await new S3MediaStorage(client, settings).put(KEY, Buffer.from('webp'), 'image/webp');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(PutObjectCommand);
    expect((sent[0] as PutObjectCommand).input).toMatchObject({
      Bucket: 'photos',
      Key: KEY,
      ContentType: 'image/webp',
      ContentLength: 4,
      CacheControl: 'public, max-age=31536000, immutable',
    });
  });

  test('a key this feature did not write is never sent', async () => {
    const { client, sent } = fakeS3();
    const storage = new S3MediaStorage(client, settings);
    await expect(storage.put('../etc/passwd', Buffer.alloc(1), 'image/webp')).rejects.toThrow();
    expect(await storage.open('med_x/../../secret')).toBeNull();
    await storage.delete(['other/key']);
    expect(sent).toHaveLength(0);
  });

  test('open answers the body, size and ETag; a missing key is null', async () => {
    const body = Readable.from([Buffer.from('webp')]);
    const { client } = fakeS3((command) => {
      if ((command as GetObjectCommand).input.Key === KEY)
        return { Body: body, ContentLength: 4, ETag: '"abc"', ContentType: 'image/webp' };
      throw new NoSuchKey({ message: 'no such key', $metadata: {} });
    });
    const storage = new S3MediaStorage(client, settings);
    expect(await storage.open(KEY)).toEqual({
      body,
      size: 4,
      etag: '"abc"',
      contentType: 'image/webp',
    });
    expect(await storage.open(KEY.replace('medium', 'thumb'))).toBeNull();
  });

  test('delete removes the keys in one request', async () => {
    const { client, sent } = fakeS3();
    await new S3MediaStorage(client, settings).delete([KEY, KEY.replace('medium', 'full')]);
    expect(sent[0]).toBeInstanceOf(DeleteObjectsCommand);
    expect((sent[0] as DeleteObjectsCommand).input.Delete?.Objects).toEqual([
      { Key: KEY },
      { Key: KEY.replace('medium', 'full') },
    ]);
  });

  test('URLs: the public bucket (CDN) when S3_PUBLIC_URL is set, else through GET /media', () => {
    const { client } = fakeS3();
    expect(new S3MediaStorage(client, settings).url(KEY)).toBe(`https://api.example/media/${KEY}`);
    expect(
      new S3MediaStorage(client, { ...settings, publicUrl: 'https://cdn.example/p/' }).url(KEY),
    ).toBe(`https://cdn.example/p/${KEY}`);
  });
});

describe('choosing the storage', () => {
  test('the local folder by default, S3 when S3_BUCKET is set', () => {
    expect(createMediaStorage(loadConfig({}), 'http://localhost:3000')).toBeInstanceOf(
      LocalMediaStorage,
    );
    const s3 = createMediaStorage(
      loadConfig({ S3_BUCKET: 'photos', S3_ENDPOINT: 'http://127.0.0.1:9000' }),
      'http://localhost:3000',
    );
    expect(s3).toBeInstanceOf(S3MediaStorage);
    expect(s3.url(KEY)).toBe(`http://localhost:3000/media/${KEY}`);
  });
});
