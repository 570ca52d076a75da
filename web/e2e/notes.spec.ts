import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { api, signInThroughPage } from './support/account-api';
import { signUpMember } from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';

test.use({ locale: 'en-US' });

interface NoteList {
  data: { id: string; title: string; clientId: string }[];
}

test('a note written offline arrives exactly once when the browser is back online', async ({
  page,
  context,
}, testInfo) => {
  const writer = await signUpMember('JP');
  await signInThroughPage(page, writer);
  await page.goto('/notes/new');
  await hydrated(page);
  // The service worker keeps this page and its scripts, so it opens offline too.
  await expect(page.getByText('This page also opens without a network.')).toBeVisible();
  await expectAccessible(page);

  await context.setOffline(true);
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Write a note');
  await expect(page.getByText('Offline: notes are kept here')).toBeVisible();
  const title = `Bon Odori in Kyoto ${randomUUID().slice(0, 6)}`;
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Your note').fill('Written on the plane: lanterns, taiko and yukata.');
  await page.getByLabel('Culture tags').fill('matsuri, summer');
  await page.getByRole('button', { name: 'Post note' }).click();
  await expect(page.getByText('Saved in this browser. It will be sent')).toBeVisible();
  const draft = page.getByRole('listitem').filter({ hasText: title });
  await expect(draft).toContainText('Waiting for the network');
  await screenshots(page, testInfo, 'composer-offline-en');
  // Nothing reached the service while offline.
  const before = await api<NoteList>('GET', `/v1/notes?authorId=${writer.id}`);
  expect(before.data).toHaveLength(0);

  await context.setOffline(false);
  await expect(draft).toContainText('Sent', { timeout: 30_000 });
  // Reloading (the outbox is read again) and a second tab send nothing more.
  await page.reload();
  await hydrated(page);
  const other = await context.newPage();
  await other.goto('/notes/new');
  await hydrated(other);
  await expect(other.getByRole('listitem').filter({ hasText: title })).toContainText('Sent');
  const after = await api<NoteList>('GET', `/v1/notes?authorId=${writer.id}`);
  expect(after.data.map((note) => note.title)).toEqual([title]);

  await page.getByRole('listitem').filter({ hasText: title }).getByRole('link').click();
  await expect(page).toHaveURL(`/notes/${after.data[0]?.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
});

test('the feed and a note page, rendered on the server with preview tags; 404 for none', async ({
  page,
  request,
}, testInfo) => {
  const writer = await signUpMember('BR');
  const title = `Festa Junina em Campina Grande ${randomUUID().slice(0, 6)}`;
  const note = await api<{ id: string }>('POST', '/v1/notes', writer.token, {
    clientId: randomUUID(),
    title,
    body: 'Quadrilha, milho e fogueira: a maior festa de São João do mundo.',
    languages: ['pt-BR'],
    cultureTags: ['festa'],
  });
  const html = await (await request.get(`/notes/${note.id}`)).text();
  expect(html).toContain(`<title>${title} · cyberstall</title>`);
  expect(html).toMatch(/<meta property="og:title" content="Festa Junina/);
  expect(html).toMatch(/<meta name="description" content="Quadrilha, milho/);
  expect(html).toContain(`/notes/${note.id}"`);

  await page.goto('/notes');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Notes');
  await expect(page.getByRole('link', { name: title })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'notes-feed-en');
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByText('Written in')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'note-en');

  const missing = await page.goto('/notes/nte_00000000000000000000000000');
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});

test('an edit made on an old version is shown to the writer as a conflict', async ({ page }) => {
  const writer = await signUpMember('JP');
  const clientId = randomUUID();
  const note = await api<{ id: string }>('POST', '/v1/notes', writer.token, {
    clientId,
    title: 'Hanami at Ueno',
    body: 'Cherry blossoms, first week of April.',
    languages: ['en'],
  });
  await signInThroughPage(page, writer);
  await page.goto(`/notes/${note.id}`);
  await page.getByRole('link', { name: 'Edit this note' }).click();
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit your note');
  await expect(page.getByLabel('Title')).toHaveValue('Hanami at Ueno');
  // Meanwhile the note is changed from another device.
  await api('POST', '/v1/notes/sync', writer.token, {
    notes: [
      {
        clientId,
        baseVersion: 1,
        title: 'Hanami at Ueno park',
        body: 'Cherry blossoms, late March this year.',
        languages: ['en'],
      },
    ],
  });
  await page.getByLabel('Your note').fill('Cherry blossoms, and a picnic under them.');
  await page.getByRole('button', { name: 'Post note' }).click();
  const draft = page.getByRole('listitem').filter({ hasText: 'Hanami at Ueno' });
  await expect(draft).toContainText('Not sent: needs your attention');
  await expect(draft.getByRole('alert')).toContainText('The note was changed elsewhere');
  await expectAccessible(page);
  // Reviewed against the current version, it goes through.
  await draft.getByRole('button', { name: 'Review and send again' }).click();
  await page.getByRole('button', { name: 'Post note' }).click();
  await expect(draft).toContainText('Sent');
  const current = await api<{ body: string; version: number }>('GET', `/v1/notes/${note.id}`);
  expect(current).toMatchObject({ body: 'Cherry blossoms, and a picnic under them.', version: 3 });
});

test('drafts kept in a shared browser are shown and sent only to their writer', async ({
  page,
}) => {
  const first = await signUpMember('JP');
  const second = await signUpMember('BR');
  await signInThroughPage(page, first);
  await page.goto('/notes/new');
  await hydrated(page);
  await page.getByLabel('Title').fill('Private thoughts on mochi');
  await page.getByLabel('Your note').fill('Not ready yet.');
  await page.getByRole('button', { name: 'Keep as draft' }).click();
  await expect(page.getByText('Draft kept in this browser.')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();

  await signInThroughPage(page, second);
  await page.goto('/notes/new');
  await hydrated(page);
  await expect(page.getByText('No drafts.')).toBeVisible();
  await expect(page.getByText('Private thoughts on mochi')).toHaveCount(0);
});

test('reached by a link (no page load), the composer still works offline and sends once', async ({
  page,
  context,
}, testInfo) => {
  const writer = await signUpMember('JP');
  await signInThroughPage(page, writer);
  // The whole way in is client-side navigation: the document is the storefront's.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notes' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Notes');
  await page.getByRole('link', { name: 'Write a note' }).click();
  await expect(page).toHaveURL('/notes/new');
  await expect(page.getByText('This page also opens without a network.')).toBeVisible();
  expect(
    await page.evaluate(
      () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).name,
    ),
  ).not.toContain('/notes/new');

  // Offline from here: a draft written now waits in IndexedDB...
  await context.setOffline(true);
  const first = `Tanabata wishes ${randomUUID().slice(0, 6)}`;
  await page.getByLabel('Title').fill(first);
  await page.getByLabel('Your note').fill('Paper strips on bamboo, written in the train.');
  await page.getByRole('button', { name: 'Post note' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: first })).toContainText(
    'Waiting for the network',
  );
  // ...and the page itself opens again without a network, from the service worker.
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Write a note');
  await expect(page.getByText('Offline: notes are kept here')).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: first })).toContainText(
    'Waiting for the network',
  );
  await screenshots(page, testInfo, 'composer-offline-after-link-en');
  expect((await api<NoteList>('GET', `/v1/notes?authorId=${writer.id}`)).data).toHaveLength(0);

  await context.setOffline(false);
  await expect(page.getByRole('listitem').filter({ hasText: first })).toContainText('Sent', {
    timeout: 30_000,
  });
  await page.reload();
  await hydrated(page);
  const after = await api<NoteList>('GET', `/v1/notes?authorId=${writer.id}`);
  expect(after.data.map((note) => note.title)).toEqual([first]);
});
