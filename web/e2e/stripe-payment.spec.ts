import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { signedWebhook, StripeFake } from '../../test/support/stripe-fake';
import { expectAccessible, hydrated, screenshots } from './support/pages';
import { SecondService } from './support/second-service';

/**
 * The order page with PAYMENTS_PROVIDER=stripe: a second service (its own port, database and
 * Redis prefix) talking to a local Stripe-compatible API. Stripe.js itself comes from
 * js.stripe.com, which this machine (and this test, to be sure of it) cannot reach.
 */
const service = new SecondService('stripe', 100);
const URL_BASE = service.url;
const WEBHOOK_SECRET = 'whsec_web_test';
const STRIPE_JS = /^https:\/\/([a-z0-9-]+\.)*js\.stripe\.com\//;

let fake: StripeFake;

const call = service.call.bind(service);

async function member(country: string) {
  const email = `stripe-${randomUUID()}@example.test`;
  const password = 'correct horse battery';
  const displayName = `Member ${email.slice(7, 13)}`;
  const { token, user } = await call<{ token: string; user: { id: string } }>(
    'POST',
    '/v1/auth/signup',
    undefined,
    { email, password, displayName, country, accountType: 'member' },
  );
  return { email, password, displayName, token, id: user.id };
}

const ADDRESS = {
  name: 'Ana Souza',
  line1: 'Rua Augusta 1500',
  city: 'São Paulo',
  postalCode: '01304-001',
  country: 'BR',
};

/** A seller whose Connect account Stripe has enabled, with one listing. */
async function payableListing(title: string): Promise<string> {
  const seller = await member('JP');
  const { accountId } = await call<{ accountId: string }>(
    'POST',
    '/v1/payouts/onboarding',
    seller.token,
  );
  const event = fake.accountUpdated(accountId, {
    charges_enabled: true,
    payouts_enabled: true,
    details_submitted: true,
  });
  const { body, signature } = signedWebhook(event, WEBHOOK_SECRET);
  const delivered = await fetch(`${URL_BASE}/v1/webhooks/stripe`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
    body,
  });
  expect(delivered.status).toBe(200);
  const listing = await call<{ id: string }>('POST', '/v1/listings', seller.token, {
    title,
    description: 'Made for the Stripe browser test.',
    priceAmount: 2400,
    currency: 'JPY',
    quantity: 5,
    category: 'test',
    condition: 'new',
    shipsTo: ['BR', 'JP'],
  });
  // The webhook is handled by a job: once it has run, the seller can be paid.
  const probe = await member('BR');
  await expect
    .poll(
      async () =>
        (
          await fetch(`${URL_BASE}/v1/orders`, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              Authorization: `Bearer ${probe.token}`,
            },
            body: JSON.stringify({
              items: [{ listingId: listing.id, quantity: 1 }],
              shippingAddress: ADDRESS,
            }),
          })
        ).status,
      { timeout: 20_000 },
    )
    .toBe(201);
  return listing.id;
}

async function signIn(page: Page, who: { email: string; password: string; displayName: string }) {
  await page.goto(`${URL_BASE}/signin`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await expect(page.getByRole('link', { name: who.displayName })).toBeVisible();
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  fake = await new StripeFake().start();
  await service.start({
    DEMO_SEED: 'true',
    PAYMENTS_PROVIDER: 'stripe',
    STRIPE_SECRET_KEY: 'sk_test_cyberstall_web',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE: fake.url,
    STRIPE_PUBLISHABLE_KEY: 'pk_test_cyberstallweb',
  });
});

test.afterAll(async () => {
  await service.stop();
  await fake?.stop();
});

test('card payment: Stripe is loaded only on the order page, and its absence is said plainly', async ({
  page,
}, testInfo) => {
  const title = `Kyusu teapot ${randomUUID().slice(0, 6)}`;
  const listingId = await payableListing(title);
  const buyer = await member('BR');

  const stripeRequests: string[] = [];
  await page.route(STRIPE_JS, async (route) => {
    stripeRequests.push(route.request().url());
    await route.abort('internetdisconnected');
  });
  const policies = new Map<string, string>();
  page.on('response', (response) => {
    if (response.request().resourceType() === 'document')
      policies.set(
        new URL(response.url()).pathname,
        response.headers()['content-security-policy'] ?? '',
      );
  });

  await signIn(page, buyer);
  await page.goto(`${URL_BASE}/listings/${listingId}`);
  await page.getByRole('link', { name: 'Buy now' }).click();
  await hydrated(page);
  await page.getByLabel('Address', { exact: true }).fill(ADDRESS.line1);
  await page.getByLabel('City').fill(ADDRESS.city);
  await page.getByLabel('Postal code').fill(ADDRESS.postalCode);
  await page.getByRole('button', { name: 'Place order' }).click();

  // Reached from the checkout form, the order page is loaded as a document of its own.
  await expect(page).toHaveURL(/\/orders\/ord_/);
  const orderPath = new URL(page.url()).pathname;
  await expect(page.getByRole('status').first()).toHaveText('Waiting for payment');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The card form could not be loaded', { timeout: 20_000 });
  await expect(page.getByRole('button', { name: /^Pay / })).toHaveCount(0);
  expect(policies.get(orderPath)).toContain('https://js.stripe.com');
  expect(policies.get(orderPath)).toContain('frame-src https://js.stripe.com');
  for (const [path, policy] of policies)
    if (path !== orderPath) expect(policy, path).not.toContain('stripe');
  // Pages before the order page asked nothing of js.stripe.com.
  const beforeRetry = stripeRequests.length;
  expect(beforeRetry).toBeGreaterThan(0);
  await expectAccessible(page);
  await screenshots(page, testInfo, 'order-stripe-unreachable-en');

  // "Try again" asks js.stripe.com again and, still unreachable, says so again.
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(alert).toContainText('The card form could not be loaded', { timeout: 20_000 });
  expect(stripeRequests.length).toBeGreaterThan(beforeRetry);

  // The same page in Japanese.
  await page.getByLabel('Language').selectOption('ja');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByRole('alert')).toContainText('カード入力フォームを読み込めませんでした', {
    timeout: 20_000,
  });
  await expect(page.getByRole('button', { name: '再試行' })).toBeVisible();
  await screenshots(page, testInfo, 'order-stripe-unreachable-ja');

  // The order waits, with its PaymentIntent's client secret for the element; it can be canceled.
  const order = await call<{ status: string; payment: { provider: string; clientSecret: string } }>(
    'GET',
    `/v1/orders/${orderPath.split('/').pop()}`,
    buyer.token,
  );
  expect(order.payment.provider).toBe('stripe');
  expect(order.payment.clientSecret).toMatch(/^pi_.+_secret_/);
  await page.getByRole('button', { name: '注文をキャンセル' }).click();
  await expect(page.getByRole('status').first()).not.toHaveText('お支払い待ち');
});
