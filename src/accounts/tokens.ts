import { hash, randomBytes } from 'node:crypto';

/** 256 random bits; only their SHA-256 is stored, so a database leak yields no usable token. */
export function newToken(): { token: string; hash: string } {
  const token = `cs_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  // One-shot: no Hash object per call (a session lookup on every hot request).
  return hash('sha256', token);
}
