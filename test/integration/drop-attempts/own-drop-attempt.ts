/**
 * A brand cannot play its own drop (issue 19.10): it could never buy the unit it won (buying
 * one's own listing is refused), so the unit would sit reserved until it expired. Every attempt
 * by the drop's owner is a 403 `own_drop`, and touches neither the pool nor the attempt count.
 */
import request from 'supertest';
import { createDrop, waitForStatus } from '../../support/drops';
import { signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp({ listen: true, workers: true });

const attempt = (user: TestUser, dropId: string, answer: string) =>
  request(ctx.server)
    .post(`/v1/campaigns/drops/${dropId}/attempts`)
    .set(user.auth)
    .send({ answer });

test("the brand's own attempts are refused and hold nothing", async () => {
  const brand = await signUpBrand(ctx.app, 'Self Solver Co');
  const member = await signUp(ctx.app, { displayName: 'Fair Player' });
  const { drop } = await createDrop(ctx.app, brand, { stock: 1 });
  await waitForStatus(ctx.app, drop.id, 'live');

  for (const answer of ['Mount Fuji', 'wrong guess']) {
    const res = await attempt(brand, drop.id, answer);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ type: 'permission', code: 'own_drop' });
  }

  const stats = await request(ctx.server)
    .get(`/v1/campaigns/drops/${drop.id}/stats`)
    .set(brand.auth);
  expect(stats.body).toMatchObject({ attempts: 0, reservations: 0, stockLeft: 1 });

  // The one unit is still there for a member who can buy it.
  const won = await attempt(member, drop.id, 'Mount Fuji');
  expect(won.status).toBe(200);
  expect(won.body.correct).toBe(true);
});
