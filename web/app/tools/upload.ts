export interface UploadedPhoto {
  id: string;
  variants: { thumb: string; medium: string; full: string };
}

export type UploadOutcome =
  | { ok: true; photo: UploadedPhoto }
  | { ok: false; reason: 'tooLarge' | 'unsupported' | 'rateLimited' | 'signIn' | 'failed' };

/** Sends one photo through the page's own upload route (see routes/photo-upload.ts). */
export async function uploadPhoto(file: File): Promise<UploadOutcome> {
  const form = new FormData();
  form.append('file', file);
  let response: Response;
  try {
    response = await fetch('/sell/photos', { method: 'POST', body: form });
  } catch {
    return { ok: false, reason: 'failed' };
  }
  if (response.status === 201) return { ok: true, photo: (await response.json()) as UploadedPhoto };
  if (response.status === 413) return { ok: false, reason: 'tooLarge' };
  if (response.status === 415) return { ok: false, reason: 'unsupported' };
  if (response.status === 429) return { ok: false, reason: 'rateLimited' };
  if (response.status === 401) return { ok: false, reason: 'signIn' };
  const body = (await response.json().catch(() => null)) as { error?: { code?: string } } | null;
  // A file whose bytes are no known image is refused as a 400 naming `file`.
  if (response.status === 400 && body?.error?.code) return { ok: false, reason: 'unsupported' };
  return { ok: false, reason: 'failed' };
}
