import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { AppError } from '../http/app-error';
import { MAX_UPLOAD_BYTES } from './media-image';

/** The multipart wrapping around one file: boundaries and part headers, generously. */
const MULTIPART_OVERHEAD = 64 * 1024;

const readOneFile = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 0, parts: 1 },
}).single('file');

function tooLarge(): AppError {
  return new AppError(
    413,
    'invalid_request',
    'file_too_large',
    `The file is over ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`,
    'file',
  );
}

function onlyOneFile(param = 'file'): AppError {
  return AppError.invalid(
    'parameter_invalid',
    'Send exactly one file, in the form field `file`, and nothing else.',
    param,
  );
}

/** multer's and busboy's failures, as API.md errors. */
function fromMulter(error: unknown): AppError {
  if (error instanceof multer.MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE') return tooLarge();
    return onlyOneFile(error.field && error.field !== 'file' ? error.field : 'file');
  }
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : '';
  if (/aborted|closed/i.test(message))
    return AppError.invalid('request_aborted', 'The request was aborted.');
  return AppError.invalid('malformed_body', 'The multipart/form-data body could not be read.');
}

/**
 * Reads the `file` field of a multipart/form-data body into memory (at most MAX_UPLOAD_BYTES:
 * busboy stops counting there), into `req.file`. A declared length over the limit is refused
 * before a byte is read; the file's bytes become `req.rawBody`, what Idempotency-Key compares.
 */
export const receiveFile: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  if (!req.is('multipart/form-data')) {
    next(
      new AppError(
        415,
        'invalid_request',
        'unsupported_media_type',
        'Send the photo as multipart/form-data, in the field `file`.',
      ),
    );
    return;
  }
  const declared = Number(req.get('content-length'));
  if (declared > MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD) {
    next(tooLarge());
    return;
  }
  readOneFile(req, res, (error?: unknown) => {
    if (error) return next(fromMulter(error));
    if (!req.file)
      return next(AppError.invalid('parameter_missing', 'file: a photo is required.', 'file'));
    req.rawBody = req.file.buffer;
    next();
  });
};
