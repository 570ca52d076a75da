import request from 'supertest';
import { selectOne } from '../../../src/db/sql';
import type { TestUser } from '../../support/fixtures';
import { type TestApp, useTestApp } from '../../support/test-app';

/** The app of a drops part: listening, with the workers whose jobs open and close drops. */
export function useDropsApp(): TestApp {
  return useTestApp({ listen: true, workers: true });
}

/** What the drops parts do through the API of `ctx`, and the rows they read in its database. */
export function dropsClient(ctx: TestApp) {
  const quantityOf = async (listingId: string) =>
    (await selectOne<{ quantity: number }>(ctx.db, 'SELECT quantity FROM listings WHERE id = ?', [
      listingId,
    ]))!.quantity;

  const attempt = (member: TestUser, dropId: string, answer: string) =>
    request(ctx.server)
      .post(`/v1/campaigns/drops/${dropId}/attempts`)
      .set(member.auth)
      .send({ answer });

  return { quantityOf, attempt };
}
