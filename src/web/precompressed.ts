import { existsSync, readdirSync } from 'node:fs';
import { extname } from 'node:path';
import type { NextFunction, Request, Response } from 'express';

const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/**
 * Serves `x.js.br` / `x.js.gz` written at build time (brotli at its best quality costs seconds
 * once, not on every request) in place of `x.js` when the browser accepts it; the static
 * handler after it then sends the smaller file. Only files listed at start-up are candidates,
 * so a request path never reaches the file system unchecked.
 */
export function precompressedAssets(dir: string) {
  const available = new Set(existsSync(dir) ? readdirSync(dir) : []);
  return (req: Request, res: Response, next: NextFunction): void => {
    const name = req.path.slice(1);
    if (name.includes('/') || !available.has(name)) return next();
    res.vary('Accept-Encoding');
    const accepted = req.acceptsEncodings(...ENCODINGS.map((encoding) => encoding.name));
    const encoding = ENCODINGS.find((candidate) => candidate.name === accepted);
    if (!encoding || !available.has(name + encoding.suffix)) return next();
    res.type(extname(name));
    res.setHeader('Content-Encoding', encoding.name);
    req.url = `/${name}${encoding.suffix}`;
    next();
  };
}
