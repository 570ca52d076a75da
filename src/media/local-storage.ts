import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isMediaKey, type MediaStorage, type StoredObject } from './media-storage';

/**
 * Variants in a local folder (MEDIA_DIR), served by GET /media/<key>. A put writes to
 * `.tmp/` inside the same folder (so the rename stays on one file system, hence atomic) and
 * renames into place once the file is complete.
 */
export class LocalMediaStorage implements MediaStorage {
  private readonly root: string;
  private readonly tmp: string;

  constructor(
    directory: string,
    private readonly publicBase: string,
  ) {
    this.root = path.resolve(directory);
    this.tmp = path.join(this.root, '.tmp');
  }

  private pathOf(key: string): string {
    if (!isMediaKey(key)) throw new Error(`not a media key: ${key}`);
    return path.join(this.root, key);
  }

  async put(key: string, data: Buffer, _contentType: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(this.tmp, { recursive: true });
    await mkdir(path.dirname(target), { recursive: true });
    const part = path.join(this.tmp, `${randomUUID()}.part`);
    try {
      const file = await open(part, 'wx');
      try {
        await file.writeFile(data);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(part, target);
    } catch (error) {
      await unlink(part).catch(() => undefined);
      throw error;
    }
  }

  async open(key: string): Promise<StoredObject | null> {
    if (!isMediaKey(key)) return null;
    let file;
    try {
      file = await open(this.pathOf(key), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const stats = await file.stat().catch(async (error: unknown) => {
      await file.close();
      throw error;
    });
    // An object never changes once written: its size and time identify its bytes.
    const etag = `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
    return {
      body: file.createReadStream(),
      size: stats.size,
      contentType: 'image/webp',
      etag,
    };
  }

  async delete(keys: string[]): Promise<void> {
    const folders = new Set<string>();
    for (const key of keys) {
      const file = this.pathOf(key);
      await rm(file, { force: true });
      folders.add(path.dirname(file));
    }
    // A media's folder goes with its last variant; one still holding files stays.
    for (const folder of folders) await rmdir(folder).catch(() => undefined);
  }

  url(key: string): string {
    return `${this.publicBase}/media/${key}`;
  }
}
