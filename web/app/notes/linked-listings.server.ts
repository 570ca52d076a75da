import type { ApiClient } from '../api/client.server';

/** The listings a note links, as the API shows them now; one gone since is left out. */
export async function linkedListings(client: ApiClient, listingIds: readonly string[]) {
  const found = await Promise.all(
    listingIds.map(async (id) => {
      const { data } = await client.GET('/v1/listings/{id}', { params: { path: { id } } });
      return data;
    }),
  );
  return found.filter((listing) => listing !== undefined);
}

/** A note id as the API makes them: anything else in a `note` parameter is ignored. */
export function noteParam(url: URL): string | undefined {
  const note = url.searchParams.get('note') ?? '';
  return /^nte_[0-9a-z]{26}$/.test(note) ? note : undefined;
}
