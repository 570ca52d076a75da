import { idParam, listOf } from '../http/common-schemas';
import type { ApiRoutes } from '../http/route';
import {
  browseQuery,
  createListingBody,
  listingSchema,
  ownListingsQuery,
  patchListingBody,
} from './listings.schema';
import type { ListingsService } from './listings.service';

const listingId = idParam('lst');

export function listingsRoutes(routes: ApiRoutes, listings: ListingsService): void {
  const tag = 'Listings';
  routes.add({
    method: 'post',
    path: '/v1/listings',
    operationId: 'createListing',
    summary: 'List an item for sale (free: no fee of any kind)',
    tag,
    access: 'signed-in',
    body: createListingBody,
    status: 201,
    response: listingSchema,
    handler: ({ auth, body }) => listings.create(auth!.userId, body),
  });
  routes.add({
    method: 'get',
    path: '/v1/listings',
    operationId: 'listListings',
    summary:
      'Browse active listings, newest first; `q` searches title and description in any language',
    tag,
    access: 'public',
    query: browseQuery,
    response: listOf(listingSchema),
    // The storefront's busiest read: served outside Express when the request is plain.
    hot: true,
    handler: ({ query }) => listings.browse(query),
  });
  routes.add({
    method: 'get',
    path: '/v1/me/listings',
    operationId: 'listMyListings',
    summary:
      'Your own listings, any status, newest first; `status=sold_out`: the active ones with quantity 0',
    tag,
    access: 'signed-in',
    query: ownListingsQuery,
    response: listOf(listingSchema),
    handler: ({ auth, query }) => listings.listOwn(auth!.userId, query),
  });
  routes.add({
    method: 'get',
    path: '/v1/listings/:id',
    operationId: 'getListing',
    summary: 'One listing',
    tag,
    access: 'public',
    params: listingId,
    response: listingSchema,
    errors: [404],
    handler: ({ auth, params }) => listings.get(params.id, auth?.userId),
  });
  routes.add({
    method: 'patch',
    path: '/v1/listings/:id',
    operationId: 'updateListing',
    summary: 'Change price, quantity, text, or pause/activate (seller only)',
    tag,
    access: 'signed-in',
    params: listingId,
    body: patchListingBody,
    response: listingSchema,
    errors: [403, 404, 409],
    handler: ({ auth, params, body }) => listings.update(auth!.userId, params.id, body),
  });
  routes.add({
    method: 'delete',
    path: '/v1/listings/:id',
    operationId: 'archiveListing',
    summary: 'Archive (seller only); orders keep pointing at it',
    tag,
    access: 'signed-in',
    params: listingId,
    response: listingSchema,
    errors: [403, 404],
    handler: ({ auth, params }) => listings.archive(auth!.userId, params.id),
  });
}
