import { Worker } from 'node:worker_threads';
import { IMAGE_NICENESS } from './render-priority';

/** An HEIC photo's pixels: 8-bit RGBA, row by row, already turned upright. */
export interface DecodedPixels {
  width: number;
  height: number;
  data: Buffer;
}

type Reply =
  { id: number; width: number; height: number; pixels: Uint8Array } | { id: number; error: string };

/**
 * Runs in the worker thread. heic-decode (libheif compiled to WebAssembly, with libde265 for
 * HEVC) decodes synchronously: on the main thread a 1 MP photo held the event loop for ~0.7 s.
 * libheif applies the `irot`, `imir` and `clap` boxes by default, so the pixels come upright.
 * The thread runs at the niceness of libvips' workers (render-priority.ts), below the API's.
 * The pixel buffer is moved back, not copied, when it owns its memory.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { setPriority } = require('node:os');
const decode = require(workerData.decoderPath);
// On Linux, priority 0 names the calling thread: this one yields the CPU to the event loop.
try {
  setPriority(0, workerData.niceness);
} catch {}
parentPort.on('message', async ({ id, bytes }) => {
  try {
    const image = await decode({ buffer: bytes });
    const pixels = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
    const owned = pixels.byteOffset === 0 && pixels.buffer.byteLength === pixels.byteLength;
    parentPort.postMessage(
      { id, width: image.width, height: image.height, pixels: owned ? pixels : pixels.slice() },
      owned ? [pixels.buffer] : [],
    );
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

/**
 * Decodes HEVC-coded HEIF in one worker thread, photos one after another (the render queue in
 * MediaService already bounds how many wait). The worker starts on the first HEIC and does not
 * keep the process alive; if it dies (WebAssembly out of memory), the photos it held fail and
 * the next one starts a new worker.
 */
export class HeicDecoder {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { worker: Worker; resolve: (pixels: DecodedPixels) => void; reject: (error: Error) => void }
  >();

  decode(bytes: Buffer): Promise<DecodedPixels> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<DecodedPixels>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      // Held open only while a photo is in it: an idle decoder never keeps the process alive.
      worker.ref();
      worker.postMessage({ id, bytes });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { decoderPath: require.resolve('heic-decode'), niceness: IMAGE_NICENESS },
    });
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (![...this.pending.values()].some((other) => other.worker === worker)) worker.unref();
      if ('error' in reply) waiting.reject(new Error(reply.error));
      else
        waiting.resolve({
          width: reply.width,
          height: reply.height,
          data: Buffer.from(reply.pixels.buffer, reply.pixels.byteOffset, reply.pixels.byteLength),
        });
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, waiting] of this.pending)
        if (waiting.worker === worker) {
          this.pending.delete(id);
          waiting.reject(error);
        }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`HEIC decoder stopped (exit ${code})`)));
    // After the listeners, as attaching a 'message' listener refs the worker's port again.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/** One decoder for the process: its WebAssembly module is compiled once (~1 s on first use). */
export const heicDecoder = new HeicDecoder();
