import { expect, type Locator } from '@playwright/test';
import sharp from 'sharp';

/** A real JPEG, as a camera would give one: 1200×900, one colour with a pale disc in the middle. */
export async function cameraPhoto(colour: string): Promise<Buffer> {
  const picture = Buffer.from(
    `<svg width="1200" height="900"><rect width="1200" height="900" fill="${colour}"/>` +
      `<circle cx="600" cy="450" r="300" fill="#f3e9d2"/></svg>`,
  );
  return sharp(picture).jpeg({ quality: 85 }).toBuffer();
}

type Rgb = [number, number, number];

function rgbOf(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** Lossy formats shift a flat colour by a few units per channel, never by this much. */
export function expectColour(actual: Rgb, hex: string): void {
  const expected = rgbOf(hex);
  const off = Math.max(...actual.map((channel, i) => Math.abs(channel - (expected[i] ?? 0))));
  expect(off, `colour ${actual.join(',')} is not ${hex}`).toBeLessThanOrEqual(16);
}

/**
 * The colour near the top-left corner of an image the page shows, once the browser has decoded
 * it (decode() rejects for an image that failed to load, so a blank preview cannot pass). A
 * preview of a chosen file is read back from a canvas; a photo the service serves (its URLs name
 * the API's own origin, another origin to a canvas) is fetched from the URL the page loaded.
 */
export async function shownColour(image: Locator): Promise<Rgb> {
  const shown = await image.evaluate(async (element: HTMLImageElement) => {
    await element.decode();
    const source = element.currentSrc;
    if (element.naturalWidth === 0 || !source.startsWith('blob:'))
      return { source, width: element.naturalWidth, rgb: null };
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d canvas');
    const size = Math.max(1, Math.floor(element.naturalWidth / 20));
    context.drawImage(element, size, size, size, size, 0, 0, 1, 1);
    const [r = 0, g = 0, b = 0] = context.getImageData(0, 0, 1, 1).data;
    return { source, width: element.naturalWidth, rgb: [r, g, b] as Rgb };
  });
  expect(shown.width, `${shown.source} did not load`).toBeGreaterThan(0);
  return shown.rgb ?? storedColour(shown.source);
}

/** The same corner of a stored photo variant, fetched and decoded outside the browser. */
export async function storedColour(url: string): Promise<Rgb> {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  const image = sharp(Buffer.from(await response.arrayBuffer()));
  const { width = 0 } = await image.metadata();
  const size = Math.max(1, Math.floor(width / 20));
  const pixel = await image
    .extract({ left: size, top: size, width: 1, height: 1 })
    .removeAlpha()
    .raw()
    .toBuffer();
  return [pixel[0] ?? 0, pixel[1] ?? 0, pixel[2] ?? 0];
}
