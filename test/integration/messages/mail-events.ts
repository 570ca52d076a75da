import request from 'supertest';
import { selectOne, selectRows } from '../../../src/db/sql';
import { bulkMembers, createDrop, PUZZLE } from '../../support/drops';
import { randomUUID } from 'node:crypto';
import { createOffer, signUp, signUpBrand, until } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp({ env: { PUBLIC_URL: 'https://stall.example' }, workers: true });

const count = async (sql: string, params: unknown[]) =>
  Number((await selectOne<{ n: number }>(ctx.db, sql, params))?.n ?? 0);

describe('mails from their events (outbox, no SMTP_URL)', () => {
  test('3,000 reminders are all mailed, each once, in batches, when the drop goes live', async () => {
    const brand = await signUpBrand(ctx.app);
    const members = await bulkMembers(ctx.db, 3000);
    const { drop } = await createDrop(ctx.app, brand, {}, 2500);
    await ctx.db.query(
      `INSERT INTO drop_reminders (drop_id, user_id, created_at)
       SELECT ?, id, NOW(3) FROM users WHERE email LIKE '%@bulk.test' AND id IN (?)`,
      [drop.id, members.map((m) => m.id)],
    );
    const key = `drop-reminder:${drop.id}:%`;
    await until(
      'every reminder mailed',
      async () =>
        (await count('SELECT COUNT(*) AS n FROM drop_reminders WHERE drop_id = ?', [drop.id])) ===
        0,
      30_000,
      200,
    );
    // Running the job again mails nothing more.
    expect(await ctx.services.notifications.mailDropReminders(drop.id)).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM mail_outbox WHERE event_key LIKE ?', [key])).toBe(
      3000,
    );
  });

  test('a reservation is mailed 2 minutes before it lapses, in the member language', async () => {
    const brand = await signUpBrand(ctx.app);
    const member = await signUp(ctx.app, { locale: 'zh-Hans', timezone: 'Asia/Shanghai' });
    const { drop } = await createDrop(ctx.app, brand, {}, 300);
    await until(
      'the drop is live',
      async () =>
        (await request(ctx.app).get(`/v1/campaigns/drops/${drop.id}`)).body.status === 'live',
    );
    const won = await request(ctx.app)
      .post(`/v1/campaigns/drops/${drop.id}/attempts`)
      .set(member.auth)
      .send({ answer: PUZZLE.answers[0] });
    expect(won.body.correct).toBe(true);
    const reservation = await until('the reservation row', () =>
      selectOne<{ id: string; expiresAt: Date }>(
        ctx.db,
        'SELECT id, expires_at AS expiresAt FROM drop_reservations WHERE drop_id = ? AND user_id = ?',
        [drop.id, member.id],
      ),
    );
    const job = await ctx.queues.drops.getJob(`reservation:remind:${reservation.id}`);
    expect(job).toBeDefined();
    const due = job!.timestamp + (job!.delay ?? 0);
    expect(Math.abs(due - (reservation.expiresAt.getTime() - 120_000))).toBeLessThan(2000);

    await ctx.services.notifications.reservationExpiring(reservation.id);
    await ctx.services.notifications.reservationExpiring(reservation.id);
    const mails = await selectRows<{ subject: string; textBody: string }>(
      ctx.db,
      'SELECT subject, text_body AS textBody FROM mail_outbox WHERE event_key = ?',
      [`reservation-expiring:${reservation.id}`],
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('您的预留即将到期');
    expect(mails[0]!.textBody).toContain(`https://stall.example/drops/${drop.id}`);
  });

  test('a finished finance export is mailed to whoever asked for it', async () => {
    const finance = await signUp(ctx.app, { locale: 'pt-BR', timezone: 'America/Sao_Paulo' });
    await ctx.services.accounts.grantRole(finance.email, 'finance');
    const created = await request(ctx.app)
      .post('/v1/finance/exports')
      .set(finance.auth)
      .send({ from: '2026-11-19', to: '2026-11-21', timezone: 'UTC' });
    expect(created.status).toBe(202);
    const mail = await until('the export mail', () =>
      selectOne<{ subject: string; toAddress: string }>(
        ctx.db,
        'SELECT subject, to_address AS toAddress FROM mail_outbox WHERE event_key = ?',
        [`export-ready:${created.body.id}`],
      ),
    );
    expect(mail).toEqual({
      subject: 'Sua exportação financeira está pronta',
      toAddress: finance.email,
    });
  });

  test('a coupon bought with points is mailed to its owner in their language, once', async () => {
    const brand = await signUpBrand(ctx.app, 'Washi & Co');
    const member = await signUp(ctx.app, { locale: 'ja', timezone: 'Asia/Tokyo' });
    const note = await request(ctx.app)
      .post('/v1/notes')
      .set(member.auth)
      .send({
        clientId: randomUUID(),
        title: 'Tea in Uji',
        body: 'First flush.',
        languages: ['ja'],
      });
    expect(note.status).toBe(201);
    const offer = await createOffer(ctx.app, brand);
    const asked = await request(ctx.app)
      .post('/v1/points/conversions')
      .set(member.auth)
      .send({ offerId: offer.id });
    expect(asked.status).toBe(202);
    const mail = await until('the coupon mail', () =>
      selectOne<{ subject: string; textBody: string }>(
        ctx.db,
        `SELECT subject, text_body AS textBody FROM mail_outbox
          WHERE kind = 'coupon-issued' AND to_address = ?`,
        [member.email],
      ),
    );
    expect(mail.subject).toBe('Washi & Co からのクーポン');
    const coupon = (await request(ctx.app).get('/v1/me/coupons').set(member.auth)).body.data[0];
    expect(mail.textBody).toContain(coupon.code);
    expect(mail.textBody).toContain('10%');
    await ctx.services.notifications.couponsIssued({ conversionId: asked.body.id });
    expect(
      await count(
        `SELECT COUNT(*) AS n FROM mail_outbox WHERE kind = 'coupon-issued' AND to_address = ?`,
        [member.email],
      ),
    ).toBe(1);
  });
});
