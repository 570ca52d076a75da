/**
 * A batch of winners whose MySQL connection is lost around its COMMIT: what landed stands, what
 * did not goes back, and what cannot be known stays taken rather than being given back twice.
 */
import request from 'supertest';
import { DropReservationsRepository } from '../../../campaigns/drops/drop-reservations.repository';
import { Transaction } from '../../../src/db/db';
import { selectOne } from '../../../src/db/sql';
import { createDrop, waitForStatus } from '../../support/drops';
import { signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { dropsClient, useDropsApp } from './drops-client';

const ctx = useDropsApp();
const { attempt } = dropsClient(ctx);
let brand: TestUser;

beforeAll(async () => {
  brand = await signUpBrand(ctx.app, 'Uji Tea House');
});

/** A MySQL connection lost on the round trip that carries a batch's COMMIT. */
const connectionLost = () =>
  Object.assign(new Error('Connection lost: The server closed the connection.'), {
    code: 'PROTOCOL_CONNECTION_LOST',
    fatal: true,
  });
/** The next COMMIT lands in MySQL, but its answer is lost with the connection. */
const loseNextCommitAnswer = () => {
  const commit = Transaction.prototype.commit;
  jest.spyOn(Transaction.prototype, 'commit').mockImplementationOnce(async function (
    this: Transaction,
  ) {
    await commit.call(this);
    throw connectionLost();
  });
};
/** A live drop of 5 units and a member to answer it. */
const liveDropAndMember = async () => {
  const { drop } = await createDrop(ctx.app, brand, { stock: 5 });
  await waitForStatus(ctx.app, drop.id, 'live');
  return { drop, member: await signUp(ctx.app) };
};
const reservationsOf = async (dropId: string) =>
  Number(
    (await selectOne<{ n: number }>(
      ctx.db,
      'SELECT COUNT(*) AS n FROM drop_reservations WHERE drop_id = ?',
      [dropId],
    ))!.n,
  );
const stockLeft = async (dropId: string) =>
  (await request(ctx.server).get(`/v1/campaigns/drops/${dropId}/stats`).set(brand.auth)).body
    .stockLeft as number;

afterEach(() => jest.restoreAllMocks());

test('a batch whose COMMIT landed but whose answer was lost stands: the winner keeps the unit', async () => {
  const { drop, member } = await liveDropAndMember();
  loseNextCommitAnswer();
  const won = await attempt(member, drop.id, 'Mount Fuji');
  expect(won.status).toBe(200);
  expect(won.body.reservation.token).toMatch(/^rsv_/);
  expect(await reservationsOf(drop.id)).toBe(1);
  expect(await stockLeft(drop.id)).toBe(4);
});

test('a batch lost before its COMMIT gives every unit back, and the winners may try again', async () => {
  const { drop, member } = await liveDropAndMember();
  jest
    .spyOn(Transaction.prototype, 'commit')
    .mockImplementationOnce(() => Promise.reject(connectionLost()));
  const failed = await attempt(member, drop.id, 'Mount Fuji');
  expect(failed.status).toBe(503);
  expect(failed.body.error.type).toBe('unavailable');
  expect(await reservationsOf(drop.id)).toBe(0);
  expect(await stockLeft(drop.id)).toBe(5);
  const again = await attempt(member, drop.id, 'Mount Fuji');
  expect(again.status).toBe(200);
  expect(await reservationsOf(drop.id)).toBe(1);
});

test('a batch whose fate cannot be read keeps its units taken: never given back twice', async () => {
  const { drop, member } = await liveDropAndMember();
  loseNextCommitAnswer();
  jest
    .spyOn(DropReservationsRepository.prototype, 'find')
    .mockImplementationOnce(() => Promise.reject(connectionLost()));
  const unknown = await attempt(member, drop.id, 'Mount Fuji');
  expect(unknown.status).toBe(503);
  // The row landed; had the unit gone back to Redis, someone else could win it too.
  expect(await reservationsOf(drop.id)).toBe(1);
  expect(await stockLeft(drop.id)).toBe(4);
});
