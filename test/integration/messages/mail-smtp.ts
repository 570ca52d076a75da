import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../../jobs/worker';
import { selectOne } from '../../../src/db/sql';
import { formatTime } from '../../../src/mail/formatting';
import { mailJobId } from '../../../src/mail/mail.service';
import { ADDRESS, createListing, signUp, signUpBrand, until } from '../../support/fixtures';
import { createDrop } from '../../support/drops';
import { startTestContext, type TestContext } from '../../support/harness';
import { MailReceiver } from '../../support/mail-receiver';

let ctx: TestContext;
let workers: RunningWorkers;
const inbox = new MailReceiver();

beforeAll(async () => {
  ctx = await startTestContext({
    env: { SMTP_URL: await inbox.start(), PUBLIC_URL: 'https://stall.example' },
  });
  workers = await startWorkers(ctx.deps, ctx.services);
});

afterAll(async () => {
  await workers.close();
  await ctx.close();
  await inbox.close();
});

const mailsTo = (email: string) =>
  inbox.received.filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === email);

describe('mail through SMTP', () => {
  test("a Japanese member in Tokyo is mailed the drop's opening in JST, in Japanese", async () => {
    const brand = await signUpBrand(ctx.app);
    const member = await signUp(ctx.app, { locale: 'ja', timezone: 'Asia/Tokyo' });
    const withdrawn = await signUp(ctx.app, { locale: 'en' });
    const { drop } = await createDrop(ctx.app, brand, { title: '富士ドロップ' }, 1500);
    for (const user of [member, withdrawn])
      expect(
        (await request(ctx.app).post(`/v1/campaigns/drops/${drop.id}/reminders`).set(user.auth))
          .status,
      ).toBe(204);
    expect(
      (
        await request(ctx.app)
          .delete(`/v1/campaigns/drops/${drop.id}/reminders`)
          .set(withdrawn.auth)
      ).status,
    ).toBe(204);

    const [mail] = await until('the drop reminder', async () => {
      const mails = mailsTo(member.email).filter((m) => m.subject?.includes('ドロップ'));
      return mails.length > 0 ? mails : undefined;
    });
    const row = (await selectOne<{ startsAt: Date }>(
      ctx.db,
      'SELECT starts_at AS startsAt FROM drops WHERE id = ?',
      [drop.id],
    ))!;
    expect(mail!.subject).toBe('ドロップ「富士ドロップ」が始まりました');
    const opening = formatTime(row.startsAt, 'Asia/Tokyo', 'ja');
    expect(opening).toContain('JST');
    expect(mail!.text).toContain(opening);
    expect(mail!.html).toContain(`https://stall.example/drops/${drop.id}`);
    expect(mail!.html).toContain('<html lang="ja">');
    // Mailed when it went live, not before; a scheduled drop only takes reminders.
    const late = await request(ctx.app)
      .post(`/v1/campaigns/drops/${drop.id}/reminders`)
      .set(withdrawn.auth);
    expect(late.status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailsTo(withdrawn.email).filter((m) => m.subject?.includes('drop'))).toEqual([]);
  });

  test('a refused send is retried and delivered once; replays of its event send nothing', async () => {
    const seller = await signUp(ctx.app, { locale: 'pt-BR', timezone: 'America/Sao_Paulo' });
    const buyer = await signUp(ctx.app, { locale: 'en', timezone: 'Europe/London' });
    const listing = await createListing(ctx.app, seller, {
      priceAmount: 5000,
      currency: 'JPY',
      title: 'Kyusu teapot',
    });
    const order = await request(ctx.app)
      .post('/v1/orders')
      .set(buyer.auth)
      .send({ shippingAddress: ADDRESS, items: [{ listingId: listing.id, quantity: 1 }] });
    expect(order.status).toBe(201);
    inbox.refuseOnce = `Receipt for your order ${order.body.id}`;
    expect(
      (await request(ctx.app).post(`/v1/orders/${order.body.id}/pay`).set(buyer.auth)).status,
    ).toBe(200);

    const receipt = await until(
      'the receipt after a retry',
      async () =>
        mailsTo(buyer.email).find((m) => m.subject === `Receipt for your order ${order.body.id}`),
      20_000,
    );
    expect(receipt.text).toContain('¥5,000');
    const sold = await until('the seller mail', async () =>
      mailsTo(seller.email).find((m) => m.subject === 'Vendido: Kyusu teapot'),
    );
    expect(sold.text).toContain('JP¥');

    // The event again: its outbox row and job id are taken, and the row is sent already.
    const row = (await selectOne<{ id: string; attempts: number }>(
      ctx.db,
      'SELECT id, attempts FROM mail_outbox WHERE event_key = ?',
      [`order-paid:${order.body.id}:buyer`],
    ))!;
    expect(row.attempts).toBe(2);
    await ctx.services.notifications.orderPaid(order.body.id);
    await ctx.queues.mail.add(
      'send-mail',
      { mailId: row.id },
      { jobId: mailJobId(`order-paid:${order.body.id}:buyer`) },
    );
    expect(await ctx.services.mail.send(row.id)).toBe('already-sent');

    const shipped = await request(ctx.app)
      .post(`/v1/orders/${order.body.id}/ship`)
      .set(seller.auth)
      .send({ carrier: 'Yamato', trackingNumber: 'YT-123456' });
    expect(shipped.status).toBe(200);
    const shipping = await until('the shipping mail', async () =>
      mailsTo(buyer.email).find((m) => m.subject?.includes('on its way')),
    );
    expect(shipping.text).toContain('YT-123456');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailsTo(buyer.email).filter((m) => m.subject === receipt.subject)).toHaveLength(1);
  });

  test('two senders of one mail at once: it goes out once', async () => {
    const user = await signUp(ctx.app);
    await until('the verification mail', async () => mailsTo(user.email).length > 0);
    // Delivered, its one-time link is no longer kept in the outbox.
    const verification = await until('the verification row marked sent', () =>
      selectOne<{ textBody: string; htmlBody: string }>(
        ctx.db,
        `SELECT text_body AS textBody, html_body AS htmlBody FROM mail_outbox
          WHERE event_key = ? AND status = 'sent'`,
        [`verify-email:${user.id}`],
      ),
    );
    expect(verification).toEqual({ textBody: '', htmlBody: '' });
    await ctx.services.mail.keep({
      eventKey: `test-race:${user.id}`,
      kind: 'export-ready',
      to: user.email,
      locale: 'en',
      vars: { name: 'Race', exportId: 'exp_x', rows: '1', finishedAt: 'now' },
    });
    const row = (await selectOne<{ id: string }>(
      ctx.db,
      'SELECT id FROM mail_outbox WHERE event_key = ?',
      [`test-race:${user.id}`],
    ))!;
    const results = await Promise.all([
      ctx.services.mail.send(row.id),
      ctx.services.mail.send(row.id),
    ]);
    expect(results.filter((r) => r === 'sent').length).toBeLessThanOrEqual(1);
    await until('the mail', async () =>
      mailsTo(user.email).some((m) => m.subject?.includes('export')),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailsTo(user.email).filter((m) => m.subject?.includes('export'))).toHaveLength(1);
  });
});
