import { expect, type Page } from '@playwright/test';
import { callApi } from './http';
import { WEB_TEST } from './service';

/** API calls for the account, seller and notes tests (set-up and checks behind the pages). */
export function api<T>(method: string, path: string, token?: string, body?: unknown) {
  return callApi<T>(WEB_TEST.url, method, path, token, body);
}

export async function signInThroughPage(
  page: Page,
  member: { email: string; password: string; displayName: string },
  label = { email: 'Email', password: 'Password', submit: 'Sign in' },
): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel(label.email).fill(member.email);
  await page.getByLabel(label.password).fill(member.password);
  await page.getByRole('button', { name: label.submit }).last().click();
  await expect(page.getByRole('link', { name: member.displayName })).toBeVisible();
}

export async function placeOrder(buyerToken: string, listingId: string): Promise<string> {
  const order = await api<{ id: string }>('POST', '/v1/orders', buyerToken, {
    items: [{ listingId, quantity: 1 }],
    shippingAddress: {
      name: 'Ana Souza',
      line1: 'Rua Augusta 1500',
      city: 'São Paulo',
      postalCode: '01304-001',
      country: 'BR',
    },
  });
  return order.id;
}

/** A points offer of the brand, open from a second from now for a day. */
export async function createPointsOffer(brandToken: string, pointsCost: number) {
  const startsAt = new Date(Date.now() + 1000);
  const offer = await api<{ id: string; title: string }>(
    'POST',
    '/v1/campaigns/points-offers',
    brandToken,
    {
      title: `Matcha 10% ${Math.random().toString(36).slice(2, 8)}`,
      pointsCost,
      coupon: { discountType: 'percent', percentOff: 10, validDays: 30 },
      budget: 50,
      perUserLimit: 1,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 24 * 3600 * 1000).toISOString(),
    },
  );
  await expect
    .poll(async () => {
      const open = await api<{ data: { id: string }[] }>(
        'GET',
        '/v1/campaigns/points-offers?limit=100',
      );
      return open.data.some((entry) => entry.id === offer.id);
    })
    .toBe(true);
  return offer;
}
