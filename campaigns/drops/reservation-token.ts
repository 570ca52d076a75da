import { createHash } from 'node:crypto';

/** Reservation tokens are stored only as their SHA-256. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Where a winner buys their unit: the web app's purchase page for this drop. */
export function purchaseUrl(publicUrl: string, dropId: string, token: string): string {
  return `${publicUrl}/drops/${dropId}/checkout?reservationToken=${token}`;
}
