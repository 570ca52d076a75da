/**
 * Photo uploads under load: 20 members upload ~10 MB photos back to back (each upload checked,
 * resized to three WebP variants and stored) while GET /v1/listings is measured; the same
 * browse load alone, in the same run, is the baseline. Writes uploads/s, MB/s, the upload
 * latency and the p99 of GET /v1/listings with and without uploads to bench/RESULTS.md.
 *
 *   npm run bench:media            (BENCH_SECONDS=15 by default)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { ensureDatabase } from '../src/db/database';
import {
  apiCall,
  dropBenchData,
  machineLine,
  percentile,
  runBench,
  runLoad,
  startServer,
  stopServer,
  summarise,
  waitUntilIdle,
  writeSection,
  type LoadResult,
} from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const UPLOADERS = 20;
const BROWSE_CONNECTIONS = 8;
/** Photos resized at once; the service's default on this machine unless BENCH_MEDIA_CONCURRENCY. */
const CONCURRENCY =
  process.env.BENCH_MEDIA_CONCURRENCY ??
  String(Math.max(1, Math.floor(availableParallelism() / 2)));
const LISTINGS = 200;
const API_PORT = 3995;
const name = `cs_bench_media_${Date.now()}`;
const DATABASE_URL = `mysql://root@127.0.0.1:3306/${name}`;

/**
 * A ~10 MB JPEG as a phone's 24-megapixel camera writes one: noise (which compresses about
 * as badly as sensor grain) over a gradient, with the EXIF orientation and GPS of a real shot.
 */
async function cameraPhoto(): Promise<Buffer> {
  const width = 6000;
  const height = 4000;
  const noise = Buffer.alloc(width * height * 3);
  for (let i = 0; i < noise.length; i += 1)
    noise[i] = ((i % (width * 3)) / (width * 3)) * 160 + Math.random() * 95;
  return sharp(noise, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 66, chromaSubsampling: '4:4:4' })
    .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 41/1 0/1' } })
    .toBuffer();
}

interface UploadStats {
  count: number;
  failed: number;
  bytes: number;
  latenciesMs: number[];
  /** From the first upload sent to the last one answered. */
  elapsedMs: number;
}

/** `UPLOADERS` members uploading `photo` one after another until `until`. */
async function uploadUntil(tokens: string[], photo: Buffer, until: number): Promise<UploadStats> {
  const started = Date.now();
  const stats: UploadStats = { count: 0, failed: 0, bytes: 0, latenciesMs: [], elapsedMs: 0 };
  const blob = new Blob([new Uint8Array(photo)], { type: 'image/jpeg' });
  await Promise.all(
    tokens.map(async (token) => {
      while (Date.now() < until) {
        const form = new FormData();
        form.append('file', blob, 'IMG_0001.jpg');
        const started = performance.now();
        const res = await fetch(`http://127.0.0.1:${API_PORT}/v1/media`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: form,
        });
        await res.arrayBuffer();
        stats.latenciesMs.push(performance.now() - started);
        if (res.status === 201) {
          stats.count += 1;
          stats.bytes += photo.length;
        } else stats.failed += 1;
      }
    }),
  );
  stats.elapsedMs = Date.now() - started;
  return stats;
}

function browse(): Promise<LoadResult> {
  return runLoad({
    url: `http://127.0.0.1:${API_PORT}/v1/listings`,
    connections: BROWSE_CONNECTIONS,
    duration: SECONDS,
  }).then(summarise);
}

/**
 * The uploads run in a process of their own: sending 200 MB from the process that measures
 * GET /v1/listings would delay its own timers and count that as the API's latency.
 */
async function uploadsInChild(tokens: string[], photoPath: string, until: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename], {
    env: { ...process.env, BENCH_UPLOADER: JSON.stringify({ tokens, photoPath, until }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`uploader exited with ${String(code)}`);
  return JSON.parse(output) as UploadStats;
}

async function uploader(): Promise<void> {
  const { tokens, photoPath, until } = JSON.parse(process.env.BENCH_UPLOADER!) as {
    tokens: string[];
    photoPath: string;
    until: number;
  };
  const stats = await uploadUntil(tokens, await readFile(photoPath), until);
  process.stdout.write(JSON.stringify(stats));
}

async function main(): Promise<void> {
  const loadAverage = loadavg()[0]!.toFixed(1);
  await ensureDatabase(DATABASE_URL);
  const mediaDir = await mkdtemp(path.join(tmpdir(), 'cs-bench-media-'));
  const photo = await cameraPhoto();
  const photoPath = path.join(mediaDir, 'camera.jpg');
  await writeFile(photoPath, photo);
  const api = await startServer(
    {
      DATABASE_URL,
      REDIS_PREFIX: name,
      ROLE: 'api',
      MEDIA_DIR: mediaDir,
      MEDIA_CONCURRENCY: CONCURRENCY,
    },
    API_PORT,
  );
  let alone: LoadResult;
  let during: LoadResult;
  let uploads: UploadStats;
  try {
    const tokens: string[] = [];
    for (let i = 0; i < UPLOADERS; i += 1) {
      const { token } = await apiCall<{ token: string }>(API_PORT, '/v1/auth/signup', null, {
        email: `bench${i}@example.com`,
        password: 'correct horse battery',
        displayName: `Seller ${i}`,
        country: 'JP',
        accountType: 'member',
      });
      tokens.push(token);
    }
    for (let i = 0; i < LISTINGS; i += 1) {
      await apiCall(API_PORT, '/v1/listings', tokens[i % UPLOADERS]!, {
        title: `Hanfu ${i}`,
        description: 'Embroidered silk, worn once',
        priceAmount: 10_000 + i,
        currency: 'USD',
        quantity: 3,
        category: 'clothing',
        condition: 'used',
        images: ['https://img.example/hanfu.jpg'],
      });
    }
    await runLoad({ url: `http://127.0.0.1:${API_PORT}/v1/listings`, connections: 4, duration: 2 });
    alone = await browse();
    await waitUntilIdle(api);
    const until = Date.now() + SECONDS * 1000;
    [during, uploads] = await Promise.all([browse(), uploadsInChild(tokens, photoPath, until)]);
  } finally {
    await stopServer(api);
    await rm(mediaDir, { recursive: true, force: true });
  }
  await dropBenchData(name, DATABASE_URL);

  const ratio = during.p99Ms / alone.p99Ms;
  const megabytes = photo.length / 1024 / 1024;
  const seconds = uploads.elapsedMs / 1000;
  const body = [
    `${machineLine()}, load average ${loadAverage} at the start (the machine is shared); ${UPLOADERS} members each uploading a ${megabytes.toFixed(1)} MB, 24-megapixel JPEG back to back (three WebP variants per upload, MEDIA_CONCURRENCY ${CONCURRENCY}, local MEDIA_DIR) while GET /v1/listings (${LISTINGS} listings, 20 a page) runs at ${BROWSE_CONNECTIONS} connections for ${SECONDS} s (uploads sent from a process of their own); the same browse load alone is the baseline. API in its own process (ROLE=api).`,
    '',
    '| GET /v1/listings | requests/s | p50 ms | p99 ms | non-2xx |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| alone | ${alone.requestsPerSecond.toFixed(0)} | ${alone.p50Ms.toFixed(1)} | ${alone.p99Ms.toFixed(1)} | ${alone.non2xx} |`,
    `| during ${UPLOADERS} concurrent uploads | ${during.requestsPerSecond.toFixed(0)} | ${during.p50Ms.toFixed(1)} | ${during.p99Ms.toFixed(1)} | ${during.non2xx} |`,
    '',
    `Uploads: ${uploads.count} stored (${uploads.failed} refused or failed) in ${seconds.toFixed(0)} s (uploads started in the first ${SECONDS} s, the last answered after ${seconds.toFixed(0)} s): **${(uploads.count / seconds).toFixed(2)} uploads/s**, ${((uploads.count * megabytes) / seconds).toFixed(1)} MB/s in; upload latency p50 ${percentile(uploads.latenciesMs, 50).toFixed(0)} ms, p99 ${percentile(uploads.latenciesMs, 99).toFixed(0)} ms.`,
    '',
    `p99 of GET /v1/listings during uploads / alone: **${ratio.toFixed(2)}** (${during.p99Ms.toFixed(1)} / ${alone.p99Ms.toFixed(1)} ms).`,
    '',
    'Photos are resized by sharp off the event loop, at most MEDIA_CONCURRENCY at once, variants one after another, in libvips threads lowered to nice 10 (src/media/render-priority.ts): on a machine with every core busy they yield the CPU to the event loop.',
    'Goal: the API keeps answering while photos are resized: no browse errors, p99 ratio under 2.',
  ].join('\n');
  writeSection('media uploads (POST /v1/media) beside GET /v1/listings', body);
  process.stdout.write(`${body}\n`);
}

runBench(process.env.BENCH_UPLOADER ? uploader : main);
