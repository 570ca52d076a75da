import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import sharp from 'sharp';
import { AppError } from '../../src/http/app-error';
import { ConcurrencyLimit } from '../../src/media/concurrency-limit';
import { lowerImageThreadsPriority } from '../../src/media/render-priority';

describe('the render queue', () => {
  test('runs at most `running` at once, queues `waiting` more, and answers 503 beyond', async () => {
    const limit = new ConcurrencyLimit(2, 1);
    let active = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const task = () =>
      limit.run(async () => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise<void>((resolve) => releases.push(resolve));
        active -= 1;
      });
    const running = [task(), task(), task()];
    const refused = await task().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 503, code: 'busy', headers: { 'Retry-After': '2' } });
    while (releases.length > 0 || active > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(running);
    expect(peak).toBe(2);
  });

  test('a failing task frees its slot', async () => {
    const limit = new ConcurrencyLimit(1, 0);
    await expect(limit.run(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(limit.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});

const libvipsThreads = () =>
  readdirSync('/proc/self/task').filter(
    (task) => readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim() === 'libvips worker',
  );

(process.platform === 'linux' ? describe : describe.skip)('photo threads priority', () => {
  test("libvips' worker threads run at nice 10 once lowered; the main thread is untouched", async () => {
    const mainThread = getPriority();
    const source = await sharp({
      create: { width: 1200, height: 900, channels: 3, background: '#777' },
    })
      .jpeg()
      .toBuffer();
    await sharp(source).resize(300).webp().toBuffer();
    expect(libvipsThreads().length).toBeGreaterThan(0);
    lowerImageThreadsPriority();
    for (const task of libvipsThreads()) expect(getPriority(Number(task))).toBe(10);
    expect(getPriority()).toBe(mainThread);
  });
});
