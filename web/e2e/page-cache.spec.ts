import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { api, signInThroughPage } from './support/account-api';
import { createListing, signUpMember } from './support/api';
import { expectAccessible, hydrated } from './support/pages';

test.use({ locale: 'en-US' });

const scriptHashes = (policy: string | undefined) => policy?.match(/'sha256-[^']+'/g) ?? [];

test('signed out, a listing page is rendered once for everyone: scripts allowed by hash, not nonce', async ({
  page,
  request,
}) => {
  const seller = await signUpMember('JP');
  const title = `Furoshiki wrapping cloth ${randomUUID().slice(0, 6)}`;
  const listing = await createListing(seller, { title });

  const first = await request.get(`/listings/${listing.id}`);
  const second = await request.get(`/listings/${listing.id}`);
  expect(first.status()).toBe(200);
  const policy = first.headers()['content-security-policy'];
  // A kept page cannot carry a per-response nonce: its inline scripts are listed by hash.
  expect(policy).not.toContain("'nonce-");
  expect(scriptHashes(policy).length).toBeGreaterThan(0);
  expect(policy).not.toContain('stripe');
  const html = await first.text();
  expect(html).toContain(`<title>${title} · cyberstall</title>`);
  expect(html).not.toContain('nonce=');
  expect(await second.text()).toBe(html);
  expect(second.headers()['content-security-policy']).toBe(policy);
  expect(second.headers()['cache-control']).toBe('private, no-cache');
  expect(second.headers()['vary']).toMatch(/Accept-Language/);

  // Another language is another page.
  const japanese = await request.get(`/listings/${listing.id}`, {
    headers: { 'Accept-Language': 'ja' },
  });
  expect(japanese.headers()['content-language']).toBe('ja');

  // In a browser, the hashed scripts run (the page hydrates) and none is refused.
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
  });
  await page.goto(`/listings/${listing.id}`);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  expect(refused).toEqual([]);
  await expectAccessible(page);

  // The seller's change shows at once: a write through the API forgets kept pages.
  const renamed = `${title} (indigo)`;
  await api('PATCH', `/v1/listings/${listing.id}`, seller.token, { title: renamed });
  const fresh = await request.get(`/listings/${listing.id}`);
  expect(await fresh.text()).toContain(`<title>${renamed} · cyberstall</title>`);
});

test('signed in, pages are rendered for the member, with this response’s nonce', async ({
  page,
}) => {
  const seller = await signUpMember('JP');
  const listing = await createListing(seller);
  const member = await signUpMember('BR');
  await signInThroughPage(page, member);
  const first = await page.goto(`/listings/${listing.id}`);
  const second = await page.goto(`/listings/${listing.id}`);
  const nonceOf = (policy: string | undefined) => /'nonce-([^']+)'/.exec(policy ?? '')?.[1];
  const one = nonceOf(first?.headers()['content-security-policy']);
  const two = nonceOf(second?.headers()['content-security-policy']);
  expect(one).toBeTruthy();
  expect(two).toBeTruthy();
  expect(one).not.toBe(two);
  await hydrated(page);
  await expect(page.getByRole('link', { name: member.displayName })).toBeVisible();
});
