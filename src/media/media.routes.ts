import { pipeline } from 'node:stream/promises';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { AppError } from '../http/app-error';
import { authenticate, type TokenResolver } from '../http/authenticate';
import { idempotency, type IdempotencyKeys } from '../http/idempotency';
import { errorResponses } from '../http/openapi';
import type { LimitRule, RateLimits } from '../http/rate-limit';
import { MAX_PIXELS, MAX_UPLOAD_BYTES, VARIANT_SIZES } from './media-image';
import { receiveFile } from './media-upload';
import { IMMUTABLE_CACHE_CONTROL } from './media-storage';
import { mediaSchema } from './media.schema';
import type { MediaService } from './media.service';

export interface MediaRouteOptions {
  media: MediaService;
  limits: RateLimits;
  uploadsPerHour: number;
  resolveToken: TokenResolver;
  /** The same keys, lease and answers as every other POST (src/http/idempotency.ts). */
  idempotencyKeys: IdempotencyKeys;
}

type Handler = (req: Request, res: Response) => Promise<void>;

/** An async handler that answers; a failure goes to the error middleware. */
function answering(handler: Handler) {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next);
  };
}

/** An async step that passes the request on once it is done. */
function step(handler: Handler) {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).then(() => next(), next);
  };
}

/** If-None-Match holds this ETag (or `*`); weak comparison, as RFC 9110 §13.1.2 asks. */
function isFresh(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * POST /v1/media and GET /media/<key>. Mounted ahead of the JSON-only body check: an upload
 * is multipart and reads its own body, after its caller is known and within their quota.
 */
export function mediaRouter(options: MediaRouteOptions): Router {
  const { media, limits } = options;
  const router = express.Router();
  const quota: LimitRule = {
    name: 'media-uploads',
    points: options.uploadsPerHour,
    windowSeconds: 3600,
  };

  router.post(
    '/v1/media',
    authenticate(options.resolveToken),
    step(async (req) => {
      if (!req.auth) throw AppError.unauthenticated();
      await limits.consume(quota, req.auth.userId);
    }),
    receiveFile,
    idempotency(options.idempotencyKeys),
    answering(async (req, res) => {
      res.status(201).json(await media.upload(req.auth!.userId, req.file!.buffer));
    }),
  );

  router.get(
    // Every path under /media is answered here, an unknown one with the API's 404.
    '/media/*key',
    answering(async (req, res) => {
      const segments = (req.params as { key?: string[] }).key ?? [];
      const object = await media.open(segments.join('/'));
      if (!object) throw AppError.notFound('media');
      res.setHeaders(
        new Map<string, string | number>([
          ['Cache-Control', IMMUTABLE_CACHE_CONTROL],
          ['ETag', object.etag],
          ['Content-Type', object.contentType],
          ['Content-Length', object.size],
          // Pages of another origin (the web app, a CDN) embed these images.
          ['Cross-Origin-Resource-Policy', 'cross-origin'],
        ]),
      );
      if (isFresh(req.get('if-none-match'), object.etag)) {
        object.body.destroy();
        res.removeHeader('Content-Length');
        res.status(304).end();
        return;
      }
      if (req.method === 'HEAD') {
        object.body.destroy();
        res.end();
        return;
      }
      // A client that goes away mid-file ends the stream; there is no one left to answer.
      await pipeline(object.body, res).catch(() => res.destroy());
    }),
  );
  return router;
}

const binary = { type: 'string' as const, format: 'binary' };

/** The OpenAPI description of these routes, which ApiRoutes cannot carry (multipart, bytes). */
export function mediaDocs(): RouteConfig[] {
  const sizes = Object.entries(VARIANT_SIZES)
    .map(([name, size]) => `${name} ${size} px`)
    .join(', ');
  return [
    {
      method: 'post',
      path: '/v1/media',
      operationId: 'uploadMedia',
      summary: 'Upload a photo (JPEG, PNG, WebP, AVIF), checked by its bytes',
      description:
        `At most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB and ${MAX_PIXELS / 1e6} megapixels, read ` +
        `from the header before anything is decoded. Stored as WebP variants fitted by their ` +
        `longest side (${sizes}), never enlarged, turned upright, without any metadata (EXIF, ` +
        `GPS, XMP; colours in sRGB). An animated image keeps its first frame. A photo not ` +
        `attached to a listing or note within 24 h is deleted. Rate limited per member per hour.`,
      tags: ['Media'],
      security: [{ bearerAuth: [] }],
      request: {
        body: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: { type: 'object', required: ['file'], properties: { file: binary } },
            },
          },
        },
      },
      responses: {
        201: { description: 'Stored', content: { 'application/json': { schema: mediaSchema } } },
        ...errorResponses([400, 401, 409, 413, 415, 429, 503]),
      },
    },
    {
      method: 'get',
      path: '/media/{mediaId}/{variant}',
      operationId: 'getMediaVariant',
      summary: 'A photo variant (`thumb.webp`, `medium.webp`, `full.webp`); cacheable forever',
      tags: ['Media'],
      security: [],
      request: {
        params: z.object({
          mediaId: z.string(),
          variant: z.enum(['thumb.webp', 'medium.webp', 'full.webp']),
        }),
      },
      responses: {
        200: {
          description: 'The WebP image, with an ETag',
          content: { 'image/webp': { schema: binary } },
        },
        304: { description: 'Not modified (If-None-Match)' },
        ...errorResponses([404]),
      },
    },
  ];
}
